using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class Hl7SendersCommandTests(RunningServer server) : IClassFixture<RunningServer>
{
    private Task<CliProcess.Outcome> Openward(params string[] args) =>
        CliProcess.RunAsync([.. args, "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task Add_RegistersASenderByCertificate_ThatThenFilesOverTls_UntilRevoked()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=ward-engine");
        var pem = Path.Combine(server.DataDirectory, "ward-engine.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);

        var added = await Openward("hl7-senders", "add", "ward-engine", "--certificate", pem, "--device", deviceId);
        Assert.Equal(0, added.ExitCode);
        Assert.Equal([deviceId], added.Json.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
        await using (var client = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate))
        {
            var ack = Assert.Single(await client.ExchangeAsync(OruMessages.HeartRate("MSG-CLI-1", deviceId, DateTimeOffset.UtcNow.AddMinutes(-2), 66)));
            Assert.Equal("AA", ack.First("MSA")!.Get(1));
        }

        var revoked = await Openward("hl7-senders", "revoke", "ward-engine");
        var listed = await Openward("hl7-senders", "list");

        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains(listed.Json.EnumerateArray(), s => s.GetProperty("name").GetString() == "ward-engine" && s.TryGetProperty("revokedAt", out _));
        Assert.Equal(66, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Change_KeepsWhatItIsNotTold_SoRescopingDoesNotDropTheCertificatePin()
    {
        var (firstDevice, _, _) = await server.AssignedDeviceAsync();
        var (secondDevice, _, secondPatient) = await server.AssignedDeviceAsync();
        using var certificate = TestCertificates.SelfSigned("CN=gateway-engine");
        var pem = Path.Combine(server.DataDirectory, "gateway-engine.pem");
        await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await Openward("hl7-senders", "add", "gateway-engine", "--certificate", pem, "--device", firstDevice)).ExitCode);

        var changed = await Openward("hl7-senders", "change", "gateway-engine", "--device", secondDevice);

        Assert.Equal(0, changed.ExitCode);
        Assert.Equal([secondDevice], changed.Json.GetProperty("devices").EnumerateArray().Select(d => d.GetString()));
        Assert.False(string.IsNullOrEmpty(changed.Json.GetProperty("certificateSha256").GetString()));
        await using var client = await MllpClient.ConnectOverTlsAsync(server.MllpTlsPort, certificate);
        var ack = Assert.Single(await client.ExchangeAsync(OruMessages.HeartRate("MSG-CLI-2", secondDevice, DateTimeOffset.UtcNow.AddMinutes(-2), 67)));
        Assert.Equal("AA", ack.First("MSA")!.Get(1));
        Assert.Equal(67, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{secondPatient}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
    }
}
