using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// The alerts' tables on a fresh store of one engine, for the conformance tests of the alert store and the
/// delivery queue: with patients on record, a clock the test moves, and the keys that seal the alerts' columns.
/// </summary>
public sealed class StoredAlerts : IAsyncDisposable
{
    private readonly StoreEngine store;

    private StoredAlerts(StoreEngine store, FieldProtector protector, FakeTimeProvider clock)
    {
        this.store = store;
        Protector = protector;
        Clock = clock;
        Alerts = AlertStore();
    }

    /// <summary>The store.</summary>
    public ClinicalDatabase Database => store.Database;

    /// <summary>The field protector on the store, its keys in it.</summary>
    public FieldProtector Protector { get; }

    /// <summary>The clock of every store here.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The alert store, with no delivery channel configured.</summary>
    public AlertStore Alerts { get; }

    /// <summary>A store of alerts on <paramref name="engine"/>, its clock at <paramref name="start"/>.</summary>
    public static async Task<StoredAlerts> CreateAsync(string engine, DateTimeOffset start)
    {
        var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, AlertsSchema.Definition, EncryptionSchema.Definition]);
        var clock = new FakeTimeProvider(start);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock, SealingKeys.Of("alerts", "alert_events", "alert_deliveries"));
        return new StoredAlerts(store, protector, clock);
    }

    /// <summary>An alert store wired as the server wires it, which queues each change of an alert for the channels <paramref name="alerting"/> configures.</summary>
    public AlertStore AlertStore(AlertingOptions? alerting = null) =>
        AlertStores.Create(Database, Protector, Options.Create(new OpenWardOptions()), Clock, alerting);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => store.DisposeAsync();
}
