using OpenWard.Core.Scores;

namespace OpenWard.Core.Tests;

/// <summary>NEWS2 (Royal College of Physicians, 2017): every band edge of every parameter, both SpO2 scales, and each response level.</summary>
public sealed class News2Tests
{
    private static readonly News2Observations Normal = new()
    {
        RespirationRate = 16, SpO2 = 97, OnOxygen = false, SystolicPressure = 120, Pulse = 70,
        Consciousness = Consciousness.Alert, Temperature = 37.0,
    };

    [Theory]
    [InlineData(0, 3)] [InlineData(8, 3)] [InlineData(9, 1)] [InlineData(11, 1)] [InlineData(12, 0)]
    [InlineData(20, 0)] [InlineData(21, 2)] [InlineData(24, 2)] [InlineData(25, 3)] [InlineData(60, 3)]
    public void RespirationRate_Bands(double rate, int score) => Assert.Equal(score, News2.RespirationRate(rate));

    [Theory]
    [InlineData(70, 3)] [InlineData(91, 3)] [InlineData(92, 2)] [InlineData(93, 2)] [InlineData(94, 1)]
    [InlineData(95, 1)] [InlineData(96, 0)] [InlineData(100, 0)]
    public void SpO2Scale1_Bands_WhateverTheOxygen(double spo2, int score)
    {
        Assert.Equal(score, News2.SpO2(spo2, SpO2Scale.Scale1, onOxygen: false));
        Assert.Equal(score, News2.SpO2(spo2, SpO2Scale.Scale1, onOxygen: true));
    }

    [Theory]
    [InlineData(70, false, 3)] [InlineData(83, false, 3)] [InlineData(84, false, 2)] [InlineData(85, false, 2)]
    [InlineData(86, false, 1)] [InlineData(87, false, 1)] [InlineData(88, false, 0)] [InlineData(92, false, 0)]
    [InlineData(93, false, 0)] [InlineData(97, false, 0)] [InlineData(100, false, 0)]
    [InlineData(83, true, 3)] [InlineData(88, true, 0)] [InlineData(92, true, 0)] [InlineData(93, true, 1)]
    [InlineData(94, true, 1)] [InlineData(95, true, 2)] [InlineData(96, true, 2)] [InlineData(97, true, 3)] [InlineData(100, true, 3)]
    public void SpO2Scale2_Bands_OnAirAndOnOxygen(double spo2, bool onOxygen, int score) =>
        Assert.Equal(score, News2.SpO2(spo2, SpO2Scale.Scale2, onOxygen));

    [Fact]
    public void SpO2Scale2_Above92_WithoutKnowingAboutOxygen_CannotBeScored()
    {
        Assert.Null(News2.SpO2(95, SpO2Scale.Scale2, onOxygen: null));
        Assert.Equal(0, News2.SpO2(90, SpO2Scale.Scale2, onOxygen: null));
    }

    [Theory]
    [InlineData(60, 3)] [InlineData(90, 3)] [InlineData(91, 2)] [InlineData(100, 2)] [InlineData(101, 1)]
    [InlineData(110, 1)] [InlineData(111, 0)] [InlineData(219, 0)] [InlineData(220, 3)] [InlineData(260, 3)]
    public void SystolicPressure_Bands(double systolic, int score) => Assert.Equal(score, News2.SystolicPressure(systolic));

    [Theory]
    [InlineData(30, 3)] [InlineData(40, 3)] [InlineData(41, 1)] [InlineData(50, 1)] [InlineData(51, 0)] [InlineData(90, 0)]
    [InlineData(91, 1)] [InlineData(110, 1)] [InlineData(111, 2)] [InlineData(130, 2)] [InlineData(131, 3)] [InlineData(180, 3)]
    public void Pulse_Bands(double pulse, int score) => Assert.Equal(score, News2.Pulse(pulse));

    [Theory]
    [InlineData(34.0, 3)] [InlineData(35.0, 3)] [InlineData(35.1, 1)] [InlineData(36.0, 1)] [InlineData(36.1, 0)]
    [InlineData(38.0, 0)] [InlineData(38.1, 1)] [InlineData(39.0, 1)] [InlineData(39.1, 2)] [InlineData(41.0, 2)]
    public void Temperature_Bands(double celsius, int score) => Assert.Equal(score, News2.Temperature(celsius));

    [Theory]
    [InlineData(Consciousness.Alert, 0)] [InlineData(Consciousness.NewConfusion, 3)] [InlineData(Consciousness.Voice, 3)]
    [InlineData(Consciousness.Pain, 3)] [InlineData(Consciousness.Unresponsive, 3)]
    public void Consciousness_AlertScoresNothing_AnyOtherLevelThree(Consciousness level, int score) =>
        Assert.Equal(score, News2.Score(Normal with { Consciousness = level }).Parameters.Single(p => p.Name == "consciousness").Score);

    [Fact]
    public void SupplementalOxygen_ScoresTwo()
    {
        Assert.Equal(0, News2.Score(Normal).Total);
        Assert.Equal(2, News2.Score(Normal with { OnOxygen = true }).Total);
    }

    [Theory]
    [InlineData(35.05, 1)] // 35.1 after rounding to one decimal
    [InlineData(35.04, 3)]
    [InlineData(20.5, 2)]  // 21 after rounding half away from zero
    public void ValuesAreScoredAsCharted(double value, int score)
    {
        var observations = value > 30 ? Normal with { Temperature = value } : Normal with { RespirationRate = value };
        Assert.Equal(score, News2.Score(observations).Total);
    }

    [Fact]
    public void ResponseLevels_FollowTheAggregateAndTheSingleParameterRule()
    {
        Assert.Equal((0, ClinicalResponse.Low), Level(Normal));
        Assert.Equal((4, ClinicalResponse.Low), Level(Normal with { RespirationRate = 22, Pulse = 115 }));
        Assert.Equal((3, ClinicalResponse.LowMedium), Level(Normal with { RespirationRate = 26 }));
        Assert.Equal((3, ClinicalResponse.LowMedium), Level(Normal with { Consciousness = Consciousness.NewConfusion }));
        Assert.Equal((5, ClinicalResponse.Medium), Level(Normal with { RespirationRate = 22, Pulse = 115, Temperature = 38.5 }));
        Assert.Equal((6, ClinicalResponse.Medium), Level(Normal with { RespirationRate = 26, SystolicPressure = 95, Pulse = 95 }));
        Assert.Equal((7, ClinicalResponse.High), Level(Normal with { RespirationRate = 26, SystolicPressure = 95, Pulse = 115 }));
    }

    [Fact]
    public void IssueExample_ScoresEachParameter()
    {
        // openward news2 --resp-rate 22 --spo2 93 --spo2-scale 1 --oxygen --systolic 105 --pulse 115 --consciousness A --temperature 38.5
        var score = News2.Score(new News2Observations
        {
            RespirationRate = 22, SpO2 = 93, SpO2Scale = SpO2Scale.Scale1, OnOxygen = true, SystolicPressure = 105,
            Pulse = 115, Consciousness = Consciousness.Alert, Temperature = 38.5,
        });

        Assert.Equal([2, 2, 2, 1, 2, 0, 1], score.Parameters.Select(p => p.Score!.Value));
        Assert.Equal(10, score.Total);
        Assert.Equal(ClinicalResponse.High, score.Response);
        Assert.True(score.IsComplete);
    }

    [Fact]
    public void MissingParameters_AreNamed_AndTheScoreIsIncomplete()
    {
        var score = News2.Score(Normal with { Consciousness = null, Temperature = null });

        Assert.False(score.IsComplete);
        Assert.Equal(["consciousness", "temperature"], score.Missing);
    }

    private static (int, ClinicalResponse) Level(News2Observations observations)
    {
        var score = News2.Score(observations);
        return (score.Total, score.Response);
    }
}
