using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// Who may file readings over HL7 v2: registered senders identified by their pinned client
/// certificate on the TLS port, each only for its devices and care teams; devices with a pinned
/// certificate only for themselves; everything they send audited under their name.
/// </summary>
public sealed class Hl7SenderTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static readonly DateTimeOffset RecentTime = DateTimeOffset.UtcNow.AddMinutes(-5);

    [Fact]
    public async Task Sender_WithAnUnregisteredCertificate_IsRejectedUnread_AndNothingIsFiled()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        using var stranger = TestCertificates.SelfSigned("CN=stranger");

        await using var client = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, stranger);
        var acks = await client.ExchangeAsync(OruMessages.HeartRate("MSG-S1", deviceId, RecentTime, 88), OruMessages.HeartRate("MSG-S2", deviceId, RecentTime.AddSeconds(1), 89));

        var ack = Assert.Single(acks);
        Assert.Equal("AR", ack.First("MSA")!.Get(1));
        Assert.Contains("not registered to an active HL7 sender", ack.First("MSA")!.Get(3), StringComparison.Ordinal);
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task Sender_WithoutAClientCertificate_GetsNoAcknowledgement_AndNothingIsFiled()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();

        var acknowledged = 0;
        try
        {
            await using var client = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate: null);
            acknowledged = (await client.ExchangeAsync(OruMessages.HeartRate("MSG-N1", deviceId, RecentTime, 90))).Count;
        }
        catch (System.Security.Authentication.AuthenticationException)
        {
            // The handshake itself may fail: the TLS port requires a client certificate.
        }
        catch (IOException)
        {
            // Or the server ends the connection right after it.
        }

        Assert.Equal(0, acknowledged);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task RegisteredSender_FilesForItsDevice_NotForAnother_AndEachMessageIsAuditedUnderItsName()
    {
        var (ownDevice, _, ownPatient) = await server.AssignedDeviceAsync();
        var (otherDevice, _, otherPatient) = await server.AssignedDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=interface-engine");
        var name = await RegisterSenderAsync(certificate, devices: [ownDevice]);

        await using var client = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate);
        var acks = await client.ExchangeAsync(
            OruMessages.HeartRate("MSG-R1", ownDevice, RecentTime, 71),
            OruMessages.HeartRate("MSG-R2", otherDevice, RecentTime, 72));

        Assert.Equal(["AA", "AE"], acks.Select(a => a.First("MSA")!.Get(1)));
        Assert.Contains($"HL7 sender \"{name}\" is not registered for device \"{otherDevice}\"", acks[1].First("ERR")!.Get(8), StringComparison.Ordinal);
        Assert.Equal(71, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{ownPatient}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{otherPatient}/latest")).EnumerateArray());
        var accessLog = (await server.GetJsonAsync($"/api/v1/patients/{ownPatient}/access-log")).EnumerateArray();
        Assert.Contains(accessLog, a => a.GetProperty("who").GetString() == "hl7-sender:" + name
            && a.GetProperty("action").GetString() == "hl7-oru-r01" && a.GetProperty("outcome").GetString() == "AA");
    }

    [Fact]
    public async Task CareTeamSender_FilesForItsWardsPatients_NotForAnotherWards()
    {
        var otherWard = await server.AddCareTeamAsync("Other ward " + Guid.NewGuid().ToString("N")[..6]);
        var elsewhere = await server.AddPatientAsync("Patient Elsewhere", otherWard);
        var (deviceElsewhere, _) = await server.RegisterDeviceAsync();
        await server.AssignAsync(deviceElsewhere, elsewhere, DateTimeOffset.UtcNow.AddDays(-1));
        var (deviceHere, _, patientHere) = await server.AssignedDeviceAsync();

        // The loopback port speaks for the fixture's sender, registered for the test ward only.
        await using var client = await MllpClient.ConnectAsync(server.MllpPort);
        var acks = await client.ExchangeAsync(
            OruMessages.HeartRate("MSG-C1", deviceHere, RecentTime, 73),
            OruMessages.HeartRate("MSG-C2", deviceElsewhere, RecentTime, 74));

        Assert.Equal(["AA", "AE"], acks.Select(a => a.First("MSA")!.Get(1)));
        Assert.Equal(73, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientHere}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
        var refused = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceElsewhere}")).GetProperty("items").EnumerateArray());
        Assert.Contains("not registered for device", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeviceWithAPinnedCertificate_SpeaksOverMllpOnlyForItself_AndNoCareTeamSenderSpeaksForIt()
    {
        var (pinnedDevice, _, pinnedPatient) = await server.AssignedDeviceAsync();
        var (neighbour, _, neighbourPatient) = await server.AssignedDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=" + pinnedDevice);
        using (var pinned = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{pinnedDevice}/certificate",
            new { certificatePem = certificate.ExportCertificatePem() }, TestContext.Current.CancellationToken))
        {
            pinned.EnsureSuccessStatusCode();
        }

        await using var monitor = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate);
        var fromMonitor = await monitor.ExchangeAsync(
            OruMessages.HeartRate("MSG-P1", pinnedDevice, RecentTime, 75),
            OruMessages.HeartRate("MSG-P2", neighbour, RecentTime, 76));
        await using var engine = await MllpClient.ConnectAsync(server.MllpPort);
        var fromWardEngine = await engine.ExchangeAsync(OruMessages.HeartRate("MSG-P3", pinnedDevice, RecentTime.AddSeconds(1), 77));

        Assert.Equal(["AA", "AE"], fromMonitor.Select(a => a.First("MSA")!.Get(1)));
        Assert.Equal("AE", Assert.Single(fromWardEngine).First("MSA")!.Get(1));
        Assert.Contains("has a pinned certificate", fromWardEngine[0].First("ERR")!.Get(8), StringComparison.Ordinal);
        Assert.Equal(75, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{pinnedPatient}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{neighbourPatient}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task SenderRegisteredForADevice_CannotFileThatUnassignedDevicesReadingsIntoAnyRecordPid3Names()
    {
        var mrn = "MRN-" + Guid.NewGuid().ToString("N")[..8];
        using var added = await server.Admin.PostAsJsonAsync("/api/v1/patients",
            new { name = "Patient Named In PID-3", mrn, careTeamId = server.TestWardId }, TestContext.Current.CancellationToken);
        added.EnsureSuccessStatusCode();
        var patientId = (await added.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
        var (unassigned, _) = await server.RegisterDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=device-gateway");
        await RegisterSenderAsync(certificate, devices: [unassigned]);

        await using var gateway = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate);
        var ack = Assert.Single(await gateway.ExchangeAsync(
            OruMessages.For(mrn, "MSG-U1", unassigned, RecentTime, "8867-4^Heart rate^LN||140|/min")));
        // The ward's own engine, registered for the patient's care team, may say whose reading it is.
        await using var wardEngine = await MllpClient.ConnectAsync(server.MllpPort);
        var fromWardEngine = Assert.Single(await wardEngine.ExchangeAsync(
            OruMessages.For(mrn, "MSG-U2", unassigned, RecentTime.AddSeconds(1), "8867-4^Heart rate^LN||66|/min")));

        Assert.Equal("AE", ack.First("MSA")!.Get(1));
        Assert.Contains("is not assigned to a patient", ack.First("ERR")!.Get(8), StringComparison.Ordinal);
        Assert.Equal("AA", fromWardEngine.First("MSA")!.Get(1));
        Assert.Equal(66, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task RevokedSender_IsRefused_OnTheConnectionItAlreadyHasOpen()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=retired-engine");
        var name = await RegisterSenderAsync(certificate, devices: [deviceId]);
        await using var client = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate);
        var before = Assert.Single(await client.ExchangeAsync(OruMessages.HeartRate("MSG-V1", deviceId, RecentTime, 78)));

        using (var revoked = await server.Admin.PostAsync($"/api/v1/hl7-senders/{name}/revoke", null, TestContext.Current.CancellationToken))
        {
            revoked.EnsureSuccessStatusCode();
        }

        var after = Assert.Single(await client.ExchangeAsync(OruMessages.HeartRate("MSG-V2", deviceId, RecentTime.AddSeconds(1), 79)));

        Assert.Equal(("AA", "AR"), (before.First("MSA")!.Get(1), after.First("MSA")!.Get(1)));
        Assert.True(await client.IsClosedByServerAsync());
        Assert.Equal(78, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Registration_IsRefusedWithAReason_ForUnknownDevicesOrTeams_BadOrReusedCertificates_AndNoScope()
    {
        var (deviceId, _) = await server.RegisterDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=engine");
        await RegisterSenderAsync(certificate, devices: [deviceId]);

        var noScope = await TryRegisterAsync(new { name = "engine-a", certificatePem = (string?)null });
        var unknownDevice = await TryRegisterAsync(new { name = "engine-b", devices = new[] { "no-such-device" } });
        var unknownTeam = await TryRegisterAsync(new { name = "engine-c", careTeams = new[] { "team-none" } });
        var badPem = await TryRegisterAsync(new { name = "engine-d", certificatePem = "not a certificate", devices = new[] { deviceId } });
        var reused = await TryRegisterAsync(new { name = "engine-e", certificatePem = certificate.ExportCertificatePem(), devices = new[] { deviceId } });
        var badName = await TryRegisterAsync(new { name = "engine/../x", devices = new[] { deviceId } });

        Assert.Equal((HttpStatusCode.BadRequest, "name at least one device or care team"), (noScope.Status, noScope.Detail[..37]));
        Assert.Equal((HttpStatusCode.BadRequest, "no device with id no-such-device is registered"), unknownDevice);
        Assert.Equal((HttpStatusCode.BadRequest, "no care team with id team-none"), unknownTeam);
        Assert.Equal((HttpStatusCode.BadRequest, "certificatePem is not a PEM-encoded X.509 certificate"), badPem);
        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badName.Status);
    }

    [Fact]
    public async Task PlainPort_BeyondLoopback_OrWithoutItsSender_RefusesToStart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openward-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var open = await Assert.ThrowsAsync<InvalidOperationException>(() => Program.BuildAsync(
                [$"--OpenWard:DataDirectory={directory}", "--OpenWard:Mllp:Port=2575", "--OpenWard:Mllp:BindAddress=0.0.0.0", "--OpenWard:Mllp:LoopbackSender=engine"],
                TestContext.Current.CancellationToken));
            var nameless = await Assert.ThrowsAsync<InvalidOperationException>(() => Program.BuildAsync(
                [$"--OpenWard:DataDirectory={directory}", "--OpenWard:Mllp:Port=2575"], TestContext.Current.CancellationToken));

            Assert.Contains("must be a loopback address", open.Message, StringComparison.Ordinal);
            Assert.Contains("LoopbackSender is not", nameless.Message, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private async Task<string> RegisterSenderAsync(X509Certificate2 certificate, string[] devices)
    {
        var name = "engine-" + Guid.NewGuid().ToString("N")[..8];
        using var response = await server.Admin.PostAsJsonAsync("/api/v1/hl7-senders",
            new { name, certificatePem = certificate.ExportCertificatePem(), devices }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return name;
    }

    private async Task<(HttpStatusCode Status, string Detail)> TryRegisterAsync(object registration)
    {
        using var response = await server.Admin.PostAsJsonAsync("/api/v1/hl7-senders", registration, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response.StatusCode, problem.TryGetProperty("detail", out var detail) ? detail.GetString()! : "");
    }
}
