using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Core.Scores;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// <c>GET …/news2/bands</c>: the bands each NEWS2 parameter is scored by, as the chart prints them, with the
/// patient's own SpO2 scale and oxygen — the same bands the score is made from.
/// </summary>
public sealed class News2BandsTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task APatientOnScale1_HasTheChartsBands_InChartOrder()
    {
        var patientId = await server.AddPatientAsync();

        var bands = await server.GetJsonAsync($"/api/v1/patients/{patientId}/news2/bands");

        Assert.Equal("scale1", bands.GetProperty("spO2Scale").GetString());
        Assert.Equal(["respiratory-rate", "spo2", "blood-pressure.systolic", "heart-rate", "body-temperature"],
            bands.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("measure").GetString()));
        var rate = Bands(bands, "respiratory-rate");
        Assert.Equal([(null, 8.0, 3), (9.0, 11.0, 1), (12.0, 20.0, 0), (21.0, 24.0, 2), (25.0, null, 3)], rate);
        Assert.Equal((96.0, (double?)null, 0), Bands(bands, "spo2")[^1]);
    }

    [Fact]
    public async Task APatientOnScale2AndOxygen_HasTheScale2Bands_ThatScoreAsTheScoreDoes()
    {
        var patientId = await server.AddPatientAsync();
        using var set = await server.Clinician.PutAsJsonAsync($"/api/v1/patients/{patientId}/alert-settings",
            new { thresholds = Array.Empty<object>(), spO2Scale = "scale2", onOxygen = true }, TestContext.Current.CancellationToken);
        set.EnsureSuccessStatusCode();

        var spo2 = Bands(await server.GetJsonAsync($"/api/v1/patients/{patientId}/news2/bands"), "spo2");

        Assert.Equal((97.0, (double?)null, 3), spo2[^1]);
        foreach (var (low, high, score) in spo2)
        {
            foreach (var edge in new[] { low, high }.OfType<double>())
            {
                Assert.Equal(score, News2.SpO2(edge, SpO2Scale.Scale2, onOxygen: true));
            }
        }
    }

    private static List<(double? Low, double? High, int Score)> Bands(JsonElement chart, string measure) =>
    [
        .. chart.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("measure").GetString() == measure)
            .GetProperty("bands").EnumerateArray()
            .Select(b => (Number(b, "low"), Number(b, "high"), b.GetProperty("score").GetInt32())),
    ];

    private static double? Number(JsonElement band, string name) =>
        band.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
