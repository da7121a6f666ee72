using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.DeviceModels;
using OpenWard.Testing;
using OpenWard.Tests.Shared;

namespace OpenWard.Server.Tests.Stores;

/// <summary>Device models' mapping templates are kept the same on SQLite and on PostgreSQL: stored, replaced, read back, and loaded at the next start.</summary>
public sealed class DeviceModelMappingsStoreTests
{
    private static readonly string Templates = Path.Combine(RepositoryFolders.TestData("iomt-fhir"), "sample-templates");
    private static readonly string DeviceMappingJson = File.ReadAllText(Path.Combine(Templates, "iotjsonpath_multiple__device-mapping.json"));
    private static readonly string FhirMappingJson = File.ReadAllText(Path.Combine(Templates, "iotjsonpath_multiple__fhir-destination-mapping.json"));

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AStoredMapping_IsReplacedInPlace_AndLoadedAtTheNextStart(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, DeviceModelsSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
        var mappings = new DeviceModelMappings(store.Database, new OpenWard.Server.Storage.StoreSignals(), clock, NullLogger<DeviceModelMappings>.Instance);

        Assert.NotNull((await mappings.SetAsync("Scale 1", DeviceMappingJson, FhirMappingJson, ct)).Stored);
        clock.Advance(TimeSpan.FromMinutes(5));
        var replacement = DeviceMappingJson.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        Assert.NotNull((await mappings.SetAsync("Scale 1", replacement, FhirMappingJson, ct)).Stored);

        var stored = await mappings.ReadAsync("Scale 1", ct);
        Assert.Equal((replacement, FhirMappingJson, clock.GetUtcNow()), stored);
        Assert.Null(await mappings.ReadAsync("Scale 2", ct));

        // As at the next start: the stored templates are loaded and in use.
        var restarted = new DeviceModelMappings(store.Database, new OpenWard.Server.Storage.StoreSignals(), clock, NullLogger<DeviceModelMappings>.Instance);
        await restarted.LoadAsync(ct);
        Assert.Equal(clock.GetUtcNow(), restarted.Find("Scale 1")?.UpdatedAt);
        Assert.Null(restarted.Find("Scale 2"));
    }
}
