using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Core.Alerting;
using OpenWard.Server.Alerts;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// One alerts store as two OpenWard nodes see it, on one clock: on PostgreSQL each node has a store object of its
/// own (its own connections), as two processes sharing the database do; a SQLite store belongs to one process, so
/// there the second node's services run beside the first's on the same store object.
/// </summary>
public sealed class AlertNodes : IAsyncDisposable
{
    private readonly FieldProtector protector;
    private readonly PostgreSqlClinicalDatabase? secondNode;

    private AlertNodes(StoreEngine store, FieldProtector protector, PostgreSqlClinicalDatabase? secondNode, FakeTimeProvider clock)
    {
        Store = store;
        this.protector = protector;
        this.secondNode = secondNode;
        Clock = clock;
    }

    /// <summary>The store, as the first node sees it.</summary>
    public StoreEngine Store { get; }

    /// <summary>The first node's store object.</summary>
    public ClinicalDatabase First => Store.Database;

    /// <summary>The second node's store object.</summary>
    public ClinicalDatabase Second => (ClinicalDatabase?)secondNode ?? Store.Database;

    /// <summary>The time on both nodes.</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>A fresh store on <paramref name="engine"/> with the alerts' tables, seen by two nodes.</summary>
    public static async Task<AlertNodes> CreateAsync(string engine, DateTimeOffset start)
    {
        FeatureSchema[] schemas = [.. PatientRecords.Schemas, AlertsSchema.Definition, EncryptionSchema.Definition];
        var store = await StoreEngine.CreateAsync(engine, schemas);
        var secondNode = engine == "postgresql" ? await store.SecondNodeAsync(schemas) : null;
        var clock = new FakeTimeProvider(start);
        var protector = await SealingKeys.StartProtectorAsync(store.Database, clock, SealingKeys.Of("alerts", "alert_events", "alert_deliveries"));
        return new AlertNodes(store, protector, secondNode, clock);
    }

    /// <summary>A node's alert store, with these alerting settings (default: no channel configured).</summary>
    public AlertStore AlertStore(ClinicalDatabase node, AlertingOptions? alerting = null) =>
        AlertStores.Create(node, protector, Options.Create(new OpenWardOptions()), Clock, alerting);

    /// <summary>A node's delivery queue.</summary>
    public DeliveryQueue Deliveries(ClinicalDatabase node) => new(node, protector, Clock);

    /// <summary>
    /// Raises an alert for one patient (no channel configured) and queues its notice for each of
    /// <paramref name="pagers"/> pagers (<c>pager-1</c>, <c>pager-2</c>, …) on a channel named <c>pager</c>.
    /// </summary>
    public async Task<(string AlertId, IReadOnlyList<string> Targets)> QueueForPagersAsync(int pagers)
    {
        var ct = TestContext.Current.CancellationToken;
        var finding = new RuleFinding("threshold:heart-rate:high", AlertSeverity.Urgent, "Heart rate 134 /min", Clock.GetUtcNow());
        var raised = (await AlertStore(First).ApplyAsync("pat-1", finding, ct))!;
        var targets = Enumerable.Range(1, pagers).Select(i => $"pager-{i}").ToList();
        await First.WriteAsync(connection => Deliveries(First).EnqueueAsync(connection, raised, [.. targets.Select(t => ("pager", t))], ct), ct);
        return (raised.Alert.Id, targets);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (secondNode is not null)
        {
            await secondNode.DisposeAsync();
        }

        await Store.DisposeAsync();
    }
}
