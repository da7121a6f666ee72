using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Alerting;
using OpenWard.Core.Scores;
using OpenWard.Server.Alerts;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Patients' alert settings are kept the same on SQLite and on PostgreSQL: the defaults until a clinician
/// sets them, replaced in place with who set them and when, the patients whose care plan expects readings,
/// and no settings for a patient who is not on record.
/// </summary>
public sealed class AlertSettingsStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly PatientAlertSettings OnOxygen = new()
    {
        Thresholds = [new ThresholdBands { Measure = "heart-rate", Low = 45, High = 110, CriticalHigh = 140, Persistence = TimeSpan.FromMinutes(2) }],
        ExpectedReadings = [new ExpectedReadings { Vital = "spo2", Within = TimeSpan.FromMinutes(30) }],
        SpO2Scale = SpO2Scale.Scale2,
        OnOxygen = true,
        Consciousness = Consciousness.NewConfusion,
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Settings_AreTheDefaultsUntilSet_ThenReplacedInPlace_WithWhoSetThemAndWhen(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, AlertsSchema.Definition]);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Start);
        var settings = new AlertSettingsStore(store.Database, clock);
        await PatientRecords.AddAsync(store.Database, "pat-1");

        Assert.Equal(Json(new PatientAlertSettings()), Json(await settings.ReadAsync("pat-1", ct)));
        await settings.WriteAsync("pat-1", new PatientAlertSettings { OnOxygen = true }, "user:nurse-1", ct);
        clock.Advance(TimeSpan.FromMinutes(10));
        await settings.WriteAsync("pat-1", OnOxygen, "user:doctor-1", ct);

        Assert.Equal(Json(OnOxygen), Json(await settings.ReadAsync("pat-1", ct)));
        Assert.Equal(1L, Convert.ToInt64(await StoredValues.ScalarAsync(store.Database, "SELECT count(*) FROM patient_alert_settings;")));
        Assert.Equal("user:doctor-1", await StoredValues.ScalarAsync(store.Database, "SELECT updated_by FROM patient_alert_settings WHERE patient_id = 'pat-1';"));
        Assert.Equal(Start.AddMinutes(10).ToUnixTimeMilliseconds(),
            Convert.ToInt64(await StoredValues.ScalarAsync(store.Database, "SELECT updated_at FROM patient_alert_settings WHERE patient_id = 'pat-1';")));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task PatientsExpectingReadings_AreThoseWhoseSettingsListAny(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, AlertsSchema.Definition]);
        var ct = TestContext.Current.CancellationToken;
        var settings = new AlertSettingsStore(store.Database, new FakeTimeProvider(Start));
        foreach (var patient in (string[])["pat-1", "pat-2", "pat-3", "pat-4"])
        {
            await PatientRecords.AddAsync(store.Database, patient);
        }

        await settings.WriteAsync("pat-1", OnOxygen, "user:doctor-1", ct);
        await settings.WriteAsync("pat-2", OnOxygen with { ExpectedReadings = [] }, "user:doctor-1", ct);
        await settings.WriteAsync("pat-4", OnOxygen, "user:doctor-1", ct);
        await settings.WriteAsync("pat-4", OnOxygen with { ExpectedReadings = [] }, "user:doctor-1", ct); // no longer expected

        Assert.Equal(["pat-1"], await settings.PatientsExpectingReadingsAsync(ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task SettingsForAPatientNotOnRecord_AreRefused(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, AlertsSchema.Definition]);
        var ct = TestContext.Current.CancellationToken;
        var settings = new AlertSettingsStore(store.Database, new FakeTimeProvider(Start));

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => settings.WriteAsync("pat-none", OnOxygen, "user:doctor-1", ct));

        Assert.True(refused.IsConstraintViolation(), refused.Message);
        Assert.Empty(await settings.PatientsExpectingReadingsAsync(ct));
    }

    private static string Json(PatientAlertSettings settings) => JsonSerializer.Serialize(settings, AlertJson.Options);
}
