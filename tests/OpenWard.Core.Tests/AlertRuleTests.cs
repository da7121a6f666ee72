using OpenWard.Core.Alerting;
using OpenWard.Core.Scores;

namespace OpenWard.Core.Tests;

/// <summary>The rules with a clock the test controls: persistence, critical values, hysteresis, hold-off, NEWS2 and trends.</summary>
public sealed class AlertRuleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly AlertingPolicy Policy = new() { HoldOff = TimeSpan.FromMinutes(5) };

    private static PatientRules Rules(PatientAlertSettings? settings = null) => new(settings ?? new PatientAlertSettings(), Policy);

    private static void ObserveNormalNews2ParametersButPulse(PatientRules rules, DateTimeOffset time)
    {
        rules.Observe("respiratory-rate", 16, null, time);
        rules.Observe("spo2", 97, null, time);
        rules.Observe("blood-pressure", null, new Dictionary<string, double> { ["systolic"] = 125, ["diastolic"] = 75 }, time);
        rules.Observe("body-temperature", 37.0, null, time);
    }

    [Fact]
    public void CriticalSpotMeasurement_AlertsOnTheReadingItself()
    {
        var finding = Assert.Single(Rules().Observe("blood-pressure", null, new Dictionary<string, double> { ["systolic"] = 82, ["diastolic"] = 50 }, Start).Findings);

        Assert.Equal(("threshold:blood-pressure.systolic:low", AlertSeverity.Critical), (finding.Condition, finding.Severity));
    }

    [Fact]
    public void Hysteresis_ValuesJustInsideTheLimit_DoNotStartTheClearing()
    {
        var rules = Rules();
        Assert.Single(rules.Observe("body-temperature", 38.5, null, Start).Findings);

        Assert.Empty(rules.Observe("body-temperature", 37.8, null, Start.AddMinutes(1)).Findings); // inside 38.0, not by the 0.3 margin
        Assert.Empty(rules.Tick(Start.AddMinutes(10)));
        Assert.Empty(rules.Observe("body-temperature", 37.6, null, Start.AddMinutes(11)).Findings); // by the margin: hold-off starts
        Assert.Empty(rules.Tick(Start.AddMinutes(15)));
        var cleared = Assert.Single(rules.Tick(Start.AddMinutes(16)));
        Assert.True(cleared.Cleared);
        Assert.Equal("threshold:body-temperature:high", cleared.Condition);
    }

    [Fact]
    public void ReBreach_DuringTheHoldOff_KeepsTheConditionOpen()
    {
        var rules = Rules();
        rules.Observe("body-temperature", 38.5, null, Start);

        rules.Observe("body-temperature", 37.2, null, Start.AddMinutes(1));
        rules.Observe("body-temperature", 38.2, null, Start.AddMinutes(3));

        Assert.Empty(rules.Tick(Start.AddMinutes(7)));
    }

    [Fact]
    public void PatientOverride_ReplacesTheDefaultLimits()
    {
        var settings = new PatientAlertSettings { Thresholds = [new ThresholdBands { Measure = "spo2", CriticalLow = 80, Low = 88 }] };

        // Spot measurements (no second reading within 15 minutes), judged against the patient's own limits.
        var rules = Rules(settings);
        rules.Observe("spo2", 89, null, Start);
        Assert.Empty(rules.Tick(Start.AddMinutes(15)));
        rules = Rules(settings);
        rules.Observe("spo2", 87, null, Start);
        Assert.Equal(AlertSeverity.Warning, Assert.Single(rules.Tick(Start.AddMinutes(15))).Severity);
    }

    [Theory]
    [InlineData(50, AlertSeverity.Critical)] // urgent low (< 54 mg/dL)
    [InlineData(65, AlertSeverity.Warning)]  // low (< 70)
    [InlineData(260, AlertSeverity.Warning)] // high (> 250)
    public void GlucoseMeasurement_AlertsOnTheReadingItself(double mgPerDl, AlertSeverity severity) =>
        Assert.Equal(severity, Assert.Single(Rules().Observe("blood-glucose", mgPerDl, null, Start).Findings).Severity);

    [Fact]
    public void BloodPressure_IsWatchedPerComponent()
    {
        var findings = Rules().Observe("blood-pressure", null, new Dictionary<string, double> { ["systolic"] = 85, ["diastolic"] = 50 }, Start).Findings;

        var finding = Assert.Single(findings, f => f.Condition.StartsWith("threshold:", StringComparison.Ordinal));
        Assert.Equal(("threshold:blood-pressure.systolic:low", AlertSeverity.Critical), (finding.Condition, finding.Severity));
    }

    [Fact]
    public void News2_AlertsByResponseLevel_AndClearsWhenLowAgain()
    {
        var rules = Rules();
        rules.Observe("respiratory-rate", 22, null, Start);
        rules.Observe("spo2", 95, null, Start);
        rules.Observe("blood-pressure", null, new Dictionary<string, double> { ["systolic"] = 105, ["diastolic"] = 70 }, Start);
        rules.Observe("body-temperature", 38.5, null, Start);

        var high = rules.Observe("heart-rate", 115, null, Start);

        // 2 (RR 22) + 1 (SpO2 95) + 1 (SBP 105) + 2 (pulse 115) + 1 (temp 38.5) = 7: high, which counts once it has held 15 minutes.
        Assert.Equal(7, high.News2!.Total);
        Assert.DoesNotContain(high.Findings, f => f.Condition == "news2");
        Assert.DoesNotContain(rules.Tick(Start.AddMinutes(14)), f => f.Condition == "news2");
        var finding = Assert.Single(rules.Tick(Start.AddMinutes(15)), f => f.Condition == "news2");
        Assert.Equal(AlertSeverity.Critical, finding.Severity);

        var later = Start.AddMinutes(30);
        var improving = new[]
        {
            rules.Observe("respiratory-rate", 16, null, later),
            rules.Observe("spo2", 97, null, later),
            rules.Observe("blood-pressure", null, new Dictionary<string, double> { ["systolic"] = 125, ["diastolic"] = 75 }, later),
            rules.Observe("body-temperature", 37.0, null, later),
            rules.Observe("heart-rate", 80, null, later),
        };

        // The score falls to low at once, but the alert clears only once low has held for the hold-off (an hour).
        Assert.DoesNotContain(improving.SelectMany(e => e.Findings), f => f.Condition == "news2");
        Assert.Equal((0, ClinicalResponse.Low), (improving[^1].News2!.Total, improving[^1].News2!.Response));
        Assert.DoesNotContain(rules.Observe("heart-rate", 78, null, later.AddMinutes(59)).Findings, f => f.Condition == "news2");
        var held = rules.Observe("heart-rate", 78, null, later.AddMinutes(61));
        Assert.True(Assert.Single(held.Findings, f => f.Condition == "news2").Cleared);
    }

    [Fact]
    public void News2_ALevelStillWaitingWhenTheRulesStopped_WaitsAgainAfterARestart()
    {
        var now = Start.AddMinutes(5);
        var waiting = Rules();
        var settled = Rules();
        // The latest observations, remembered from the store: a high score taken 5 minutes ago, and one taken an hour ago.
        foreach (var (rules, taken) in new[] { (waiting, Start), (settled, Start.AddMinutes(-55)) })
        {
            rules.Remember("respiratory-rate", 22, null, taken);
            rules.Remember("spo2", 95, null, taken);
            rules.Remember("blood-pressure", null, new Dictionary<string, double> { ["systolic"] = 105, ["diastolic"] = 70 }, taken);
            rules.Remember("body-temperature", 38.5, null, taken);
            rules.Remember("heart-rate", 115, null, taken);
            rules.ResumeWaiting(now);
        }

        Assert.Equal(AlertSeverity.Critical, Assert.Single(waiting.Tick(Start.AddMinutes(15)), f => f.Condition == "news2").Severity);
        // An hour-old score was either confirmed then (its alert is open) or dealt with: not raised again on old evidence.
        Assert.DoesNotContain(settled.Tick(Start.AddMinutes(15)), f => f.Condition == "news2");
    }

    [Fact]
    public void News2_ALevelThatDoesNotHold_RaisesNothing()
    {
        var rules = Rules();
        ObserveNormalNews2ParametersButPulse(rules, Start);
        rules.Observe("heart-rate", 80, null, Start);

        // A spot set scoring medium, and twelve minutes later one scoring low again: no alert.
        var medium = Start.AddMinutes(20);
        rules.Observe("respiratory-rate", 22, null, medium);
        rules.Observe("body-temperature", 38.5, null, medium);
        Assert.Equal(ClinicalResponse.Medium, rules.Observe("heart-rate", 115, null, medium).News2!.Response);
        Assert.Empty(rules.Tick(medium.AddMinutes(10)));
        var low = medium.AddMinutes(12);
        ObserveNormalNews2ParametersButPulse(rules, low);
        Assert.Equal(ClinicalResponse.Low, rules.Observe("heart-rate", 80, null, low).News2!.Response);

        Assert.DoesNotContain(rules.Tick(Start.AddMinutes(60)), f => f.Condition == "news2");
    }

    [Fact]
    public void Delivery_OfManyReadings_IsScoredOnceOnTheNewest_ButEveryValueMeetsTheLimits()
    {
        var rules = Rules();
        ObserveNormalNews2ParametersButPulse(rules, Start);

        // Forty minutes of a wearable's once-a-minute heart rate delivered at once, newest first: a
        // sustained breach in the middle, normal again by the end.
        var buffered = Enumerable.Range(0, 40)
            .Select(m => new RuleReading("heart-rate", m is >= 5 and < 30 ? 130 : 80, null, Start.AddMinutes(m), "wearable"))
            .Reverse()
            .ToList();
        var evaluation = rules.Observe(buffered);

        var high = Assert.Single(evaluation.Findings, f => f.Condition == "threshold:heart-rate:high" && !f.Cleared);
        // In time order: most of the readings of the last 5 minutes breach from minute 8; fifteen minutes later it alerts.
        Assert.Equal((AlertSeverity.Warning, Start.AddMinutes(23)), (high.Severity, high.Time));
        Assert.Equal(Start.AddMinutes(39), evaluation.News2Time);
        Assert.Equal(0, evaluation.News2!.Total); // the median of the newest heart rates (15 minutes) is 80
    }

    [Fact]
    public void News2_ALateDeliveryOfOlderReadings_WaitsFromTheNewestEvidenceAlreadySeen()
    {
        var rules = Rules();
        ObserveNormalNews2ParametersButPulse(rules, Start);
        rules.Observe("heart-rate", 80, null, Start);
        Assert.Equal(ClinicalResponse.Low, rules.Observe("heart-rate", 80, null, Start.AddMinutes(20)).News2!.Response);

        // Twenty minutes in, a respiration belt's buffer arrives: a rate of 28 from minutes 2 to 6, which scores 3 (low–medium).
        var buffered = Enumerable.Range(2, 5).Select(m => new RuleReading("respiratory-rate", 28, null, Start.AddMinutes(m), "belt")).ToList();
        var late = rules.Observe(buffered);
        Assert.Equal(ClinicalResponse.LowMedium, late.News2!.Response);

        // The level waits its quarter of an hour from the newest evidence already seen (minute 20), not from minute 6.
        Assert.DoesNotContain(rules.Tick(Start.AddMinutes(22)), f => f.Condition == "news2");
        Assert.DoesNotContain(rules.Tick(Start.AddMinutes(34)), f => f.Condition == "news2");
        Assert.Equal(AlertSeverity.Warning, Assert.Single(rules.Tick(Start.AddMinutes(35)), f => f.Condition == "news2").Severity);
    }

    [Fact]
    public void News2_IsNotComputedFromStaleValues()
    {
        var rules = Rules();
        ObserveNormalNews2ParametersButPulse(rules, Start);

        Assert.Null(rules.Observe("heart-rate", 80, null, Start.AddHours(5)).News2);
    }

    [Fact]
    public void WeightGain_OfTwoKilogramsInTwoDays_RaisesAnUrgentAlert()
    {
        var rules = Rules();
        Assert.Empty(rules.Observe("body-weight", 80.0, null, Start).Findings);
        Assert.Empty(rules.Observe("body-weight", 81.0, null, Start.AddDays(1)).Findings);

        var gain = Assert.Single(rules.Observe("body-weight", 82.1, null, Start.AddDays(2)).Findings);

        Assert.Equal((WeightTrend.Condition, AlertSeverity.Urgent), (gain.Condition, gain.Severity));
        Assert.Equal("Body weight up 2.1 kg in 2 days (now 82.1 kg)", gain.Summary);
    }

    [Fact]
    public void WeightGain_OfTwoKilogramsSinceTwoMorningsAgo_CountsWhenTodaysWeighingWasEarlierInTheDay()
    {
        var rules = Rules();
        Assert.Empty(rules.Observe("body-weight", 80.0, null, Start).Findings);
        Assert.Empty(rules.Observe("body-weight", 80.9, null, Start.AddDays(1).AddMinutes(-20)).Findings);

        // Two mornings later, weighed 40 minutes earlier in the day than the first weighing.
        var gain = Assert.Single(rules.Observe("body-weight", 82.1, null, Start.AddDays(2).AddMinutes(-40)).Findings);

        Assert.Equal("Body weight up 2.1 kg in 2 days (now 82.1 kg)", gain.Summary);
    }

    [Fact]
    public void WeightGain_OfTwoKilogramsOverTwoDaysAndAHalf_IsNotCountedAsTwoDays()
    {
        var rules = Rules();
        Assert.Empty(rules.Observe("body-weight", 80.0, null, Start).Findings);

        Assert.Empty(rules.Observe("body-weight", 82.1, null, Start.AddDays(2.5)).Findings);
    }

    [Fact]
    public void WeightGain_OfTwoAndAHalfKilogramsInFiveDays_RaisesAnAlert()
    {
        var rules = Rules();
        for (var day = 0; day < 5; day++)
        {
            Assert.Empty(rules.Observe("body-weight", 80.0 + (day * 0.5), null, Start.AddDays(day)).Findings);
        }

        Assert.Contains("in 5 days", Assert.Single(rules.Observe("body-weight", 82.6, null, Start.AddDays(5)).Findings).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpectedReadings_ThatStopArriving_RaiseNoData_AndClearWithTheNextReading()
    {
        var rules = Rules(new PatientAlertSettings { ExpectedReadings = [new ExpectedReadings { Vital = "spo2", Within = TimeSpan.FromMinutes(30) }] });
        rules.Observe("spo2", 97, null, Start);

        Assert.Empty(rules.Tick(Start.AddMinutes(30)));
        var gap = Assert.Single(rules.Tick(Start.AddMinutes(31)));
        Assert.Equal(("gap:spo2", AlertSeverity.Warning), (gap.Condition, gap.Severity));
        Assert.Equal("No Oxygen saturation (SpO2) readings for 31 min (expected within 30 min)", gap.Summary);
        Assert.Empty(rules.Tick(Start.AddMinutes(40)));

        Assert.True(Assert.Single(rules.Observe("spo2", 96, null, Start.AddMinutes(41)).Findings).Cleared);
    }

    [Theory]
    [InlineData("emergency-call", "Emergency call (help button): respond now")]
    [InlineData("fall", "Fall detected: respond now")]
    public void Emergency_IsCriticalAtOnce_EveryTime(string vital, string summary)
    {
        var rules = Rules();

        var first = Assert.Single(rules.Observe(vital, 1, null, Start).Findings);
        var again = Assert.Single(rules.Observe(vital, 1, null, Start.AddMinutes(1)).Findings);

        Assert.Equal(($"emergency:{vital}", AlertSeverity.Critical, summary), (first.Condition, first.Severity, first.Summary));
        Assert.Equal(AlertSeverity.Critical, again.Severity);
        Assert.Empty(rules.Tick(Start.AddHours(1))); // never cleared by the clock: a clinician resolves it
    }

    [Fact]
    public void HeartRate_DriftingWellAboveThePatientsBaseline_RaisesAWarning_AndClearsWhenBack()
    {
        var rules = Rules();
        var findings = new List<RuleFinding>();
        void Hourly(int fromHour, int toHour, double rate)
        {
            for (var hour = fromHour; hour < toHour; hour++)
            {
                findings.AddRange(rules.Observe("heart-rate", rate, null, Start.AddHours(hour)).Findings);
            }
        }

        Hourly(0, 72, 70);   // three days at 70
        Hourly(72, 78, 88);  // six hours at 88: +18
        Hourly(78, 79, 88);  // the hour that completes them

        var drift = Assert.Single(findings);
        Assert.Equal(("trend:heart-rate:above-baseline", AlertSeverity.Warning), (drift.Condition, drift.Severity));
        // Raised as soon as the 6-hour mean is 15 above: five hours at 88 and one at 70.
        Assert.Equal("Heart rate 85 /min over 6 h, 15 above the 7-day baseline of 70 /min", drift.Summary);

        Hourly(79, 86, 72);
        Assert.True(findings[^1].Cleared);
    }

    [Fact]
    public void LowBattery_WarnsOncePerDevice_AndClearsWhenCharged()
    {
        var rules = Rules();

        var low = Assert.Single(rules.Observe("device-battery", 15, null, Start, "oxi-7").Findings);
        Assert.Empty(rules.Observe("device-battery", 12, null, Start.AddHours(1), "oxi-7").Findings);
        Assert.Single(rules.Observe("device-battery", 18, null, Start.AddHours(1), "cuff-2").Findings);
        var charged = Assert.Single(rules.Observe("device-battery", 95, null, Start.AddHours(3), "oxi-7").Findings);

        Assert.Equal(("device-battery:oxi-7", AlertSeverity.Warning, "Battery of device oxi-7 at 15 %: charge or replace it"), (low.Condition, low.Severity, low.Summary));
        Assert.True(charged.Cleared);
    }
}
