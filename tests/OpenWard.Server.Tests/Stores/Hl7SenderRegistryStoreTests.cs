using OpenWard.Server.Devices;
using OpenWard.Server.Hl7;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// HL7 senders are kept the same on SQLite and on PostgreSQL: registered, changed and revoked, each pinned
/// certificate held by one active sender, and all of it loaded again at the next start.
/// </summary>
public sealed class Hl7SenderRegistryStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ASender_IsRegisteredChangedAndRevoked_AndLoadedSoAtTheNextStart(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine, Hl7SendersSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var (registry, devices) = Registry(people);
        var ward = await people.AddCareTeamAsync("Respiratory virtual ward");
        var renal = await people.AddCareTeamAsync("Renal ward");
        devices.Put("dev-1", "bedside-monitor", "hash", revoked: false, []);
        using var certificate = TestCertificates.SelfSigned("CN=interface-engine");
        var fingerprint = CertificatePin.Fingerprint(certificate);

        var added = (await registry.AddAsync("interface-engine", new(certificate.ExportCertificatePem(), ["dev-1", "dev-1"], [ward]), ct)).Value!;
        Assert.Equal(("interface-engine", fingerprint, StoredPeople.Start), (added.Name, added.CertificateSha256, added.RegisteredAt));
        Assert.Equal(["dev-1"], added.Devices);
        Assert.Equal([ward], added.CareTeams);
        Assert.Same(added, registry.FindByCertificate(fingerprint));

        // A change keeps what it leaves out, and an empty certificate removes the pin.
        people.Clock.Advance(TimeSpan.FromMinutes(1));
        var changed = (await registry.ChangeAsync("interface-engine", new(null, null, [ward, renal]), ct)).Value!;
        Assert.Equal((fingerprint, StoredPeople.Start), (changed.CertificateSha256, changed.RegisteredAt));
        Assert.Equal(["dev-1"], changed.Devices);
        Assert.Equal([ward, renal], changed.CareTeams);
        var unpinned = (await registry.ChangeAsync("interface-engine", new("", [], null), ct)).Value!;
        Assert.Null(unpinned.CertificateSha256);
        Assert.Null(registry.FindByCertificate(fingerprint));
        Assert.Empty(unpinned.Devices);
        await registry.AddAsync("central-station", new(null, ["dev-1"], null), ct);

        people.Clock.Advance(TimeSpan.FromMinutes(1));
        var revoked = (await registry.RevokeAsync("central-station", ct)).Value!;
        people.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(StoredPeople.Start.AddMinutes(2), revoked.RevokedAt);
        Assert.Equal(revoked.RevokedAt, (await registry.RevokeAsync("central-station", ct)).Value!.RevokedAt);
        Assert.Null(registry.FindActive("central-station"));
        Assert.NotNull(registry.FindActive("interface-engine"));

        // As at the next start.
        var (restarted, _) = Registry(people);
        await restarted.LoadAsync(ct);
        Assert.Equal(Described(registry.List()), Described(restarted.List()));
        Assert.Equal(["central-station", "interface-engine"], restarted.List().Select(s => s.Name));
        Assert.Null(restarted.FindActive("central-station"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ACertificate_IsPinnedForOneActiveSenderOnly_AndOtherRegistrationsThatCannotBe_AreRefused(string engine)
    {
        await using var people = await StoredPeople.CreateAsync(engine, Hl7SendersSchema.Definition);
        var ct = TestContext.Current.CancellationToken;
        var (registry, devices) = Registry(people);
        var ward = await people.AddCareTeamAsync("Respiratory virtual ward");
        using var shared = TestCertificates.SelfSigned("CN=shared");
        using var device = TestCertificates.SelfSigned("CN=monitor");
        devices.Put("dev-1", "bedside-monitor", "hash", revoked: false, [], CertificatePin.Fingerprint(device));
        var pem = shared.ExportCertificatePem();
        await registry.AddAsync("engine-a", new(pem, null, [ward]), ct);
        await registry.AddAsync("engine-b", new(null, null, [ward]), ct);

        Assert.Equal(ProblemKind.Invalid, (await registry.AddAsync("engine c", new(null, null, [ward]), ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await registry.AddAsync("engine-c", new(null, [], []), ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await registry.AddAsync("engine-c", new(null, ["dev-none"], null), ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await registry.AddAsync("engine-c", new(null, null, ["team-none"]), ct)).Problem);
        Assert.Equal(ProblemKind.Invalid, (await registry.AddAsync("engine-c", new("not a certificate", null, [ward]), ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await registry.AddAsync("engine-a", new(null, null, [ward]), ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await registry.AddAsync("engine-c", new(device.ExportCertificatePem(), null, [ward]), ct)).Problem);
        // Another active sender's certificate: refused by the store's unique index.
        Assert.Equal(ProblemKind.Conflict, (await registry.AddAsync("engine-c", new(pem, null, [ward]), ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await registry.ChangeAsync("engine-b", new(pem, null, null), ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await registry.ChangeAsync("engine-none", new(null, null, [ward]), ct)).Problem);
        Assert.Equal(ProblemKind.NotFound, (await registry.RevokeAsync("engine-none", ct)).Problem);

        // Once its sender is revoked, the certificate may be pinned for another; the revoked name is not reused.
        await registry.RevokeAsync("engine-a", ct);
        Assert.Equal(ProblemKind.NotFound, (await registry.ChangeAsync("engine-a", new(null, null, [ward]), ct)).Problem);
        Assert.Equal(ProblemKind.None, (await registry.ChangeAsync("engine-b", new(pem, null, null), ct)).Problem);
        Assert.Equal(ProblemKind.Conflict, (await registry.AddAsync("engine-a", new(null, null, [ward]), ct)).Problem);

        var (restarted, _) = Registry(people);
        await restarted.LoadAsync(ct);
        Assert.Equal(["engine-a", "engine-b"], restarted.List().Select(s => s.Name));
        Assert.Equal("engine-b", restarted.FindByCertificate(CertificatePin.Fingerprint(shared))?.Name);
    }

    private static (Hl7SenderRegistry Registry, DeviceDirectory Devices) Registry(StoredPeople people)
    {
        var devices = new DeviceDirectory();
        return (new Hl7SenderRegistry(people.Database, devices, people.CareTeams, new StoreSignals(), people.Clock), devices);
    }

    private static List<string> Described(IEnumerable<Hl7Sender> senders) =>
        [.. senders.Select(s => $"{s.Name} {s.CertificateSha256} [{string.Join(',', s.Devices)}] [{string.Join(',', s.CareTeams)}] {s.RegisteredAt:O} {s.RevokedAt:O}")];
}
