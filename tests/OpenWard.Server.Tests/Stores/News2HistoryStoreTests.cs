using OpenWard.Core.Scores;
using OpenWard.Server.Alerts;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Patients' NEWS2 histories are kept the same on SQLite and on PostgreSQL: each patient's scores, the latest
/// (the last stored when two share a time), and the scores from a time on, oldest first, as many as asked.
/// </summary>
public sealed class News2HistoryStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Scores_AreReadBackFromATimeOn_OldestFirst_UpToTheLimit(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, AlertsSchema.Definition]);
        var ct = TestContext.Current.CancellationToken;
        var history = new News2History(store.Database);
        await history.AppendAsync("pat-1", Start, Score(2, ClinicalResponse.Low, respiration: 1), ct);
        await history.AppendAsync("pat-1", Start.AddHours(1), Score(5, ClinicalResponse.Medium, respiration: 3), ct);
        await history.AppendAsync("pat-2", Start.AddHours(1), Score(7, ClinicalResponse.High, respiration: 3), ct);
        await history.AppendAsync("pat-1", Start.AddHours(2), Score(3, ClinicalResponse.LowMedium, respiration: 3), ct);

        var records = await history.ReadAsync("pat-1", Start.AddHours(1), 10, ct);

        Assert.Equal([(Start.AddHours(1), 5, "medium"), (Start.AddHours(2), 3, "low-medium")], records.Select(r => (r.At, r.Total, r.Response)));
        Assert.Equal(Score(5, ClinicalResponse.Medium, respiration: 3).Parameters, records[0].Parameters);
        Assert.Equal([Start], (await history.ReadAsync("pat-1", Start, 1, ct)).Select(r => r.At));
        Assert.Empty(await history.ReadAsync("pat-1", Start.AddHours(3), 10, ct));
        Assert.Empty(await history.ReadAsync("pat-3", Start, 10, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheLatestScore_IsTheNewest_AndOfTwoAtOneTimeTheLastStored(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, AlertsSchema.Definition]);
        var ct = TestContext.Current.CancellationToken;
        var history = new News2History(store.Database);
        Assert.Null(await history.LatestAsync("pat-1", ct));

        await history.AppendAsync("pat-1", Start.AddHours(1), Score(4, ClinicalResponse.Low, respiration: 2), ct);
        await history.AppendAsync("pat-1", Start, Score(1, ClinicalResponse.Low, respiration: 0), ct); // a late reading, older
        Assert.Equal(4, (await history.LatestAsync("pat-1", ct))!.Total);

        await history.AppendAsync("pat-1", Start.AddHours(1), Score(6, ClinicalResponse.Medium, respiration: 3), ct);
        var latest = await history.LatestAsync("pat-1", ct);
        Assert.Equal((Start.AddHours(1), 6, "medium"), (latest!.At, latest.Total, latest.Response));
        Assert.Equal([(Start, 1), (Start.AddHours(1), 4), (Start.AddHours(1), 6)], (await history.ReadAsync("pat-1", Start, 10, ct)).Select(r => (r.At, r.Total)));
    }

    private static News2Score Score(int total, ClinicalResponse response, int respiration) => new()
    {
        Parameters = [new News2Parameter("respiration", $"{18 + (respiration * 4)} /min", respiration), new News2Parameter("spo2", null, null)],
        Total = total,
        Response = response,
        SpO2Scale = SpO2Scale.Scale1,
        Missing = ["spo2"],
    };
}
