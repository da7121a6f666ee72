using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

public sealed class AdministrationTests(RunningServer server) : IClassFixture<RunningServer>
{
    private Task<CliProcess.Outcome> Openward(params string[] args) =>
        CliProcess.RunAsync([.. args, "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task Walkthrough_AddAssignPublishRead_PrintsJson()
    {
        var patient = await Openward("patients", "add", "--name", "Walkthrough Patient");
        Assert.Equal(0, patient.ExitCode);
        var patientId = patient.Json.GetProperty("id").GetString()!;

        var device = await Openward("devices", "add", "--id", "cuff-walk-1", "--model", "A&D UA-651BLE", "--serial", "5140012");
        Assert.Equal(0, device.ExitCode);
        var secret = device.Json.GetProperty("secret").GetString()!;

        var assign = await Openward("devices", "assign", "cuff-walk-1", "--patient", patientId, "--from", "2020-01-01T00:00:00Z");
        Assert.Equal(0, assign.ExitCode);
        Assert.Equal(patientId, assign.Json.GetProperty("patientId").GetString());

        using (var cuff = await server.ConnectDeviceAsync("cuff-walk-1", secret))
        {
            await cuff.PublishReadingsAsync("devices/cuff-walk-1/readings",
                """[{"vital":"blood-pressure","time":"2026-11-20T09:00:00Z","components":{"systolic":128,"diastolic":82},"unit":"mm[Hg]"}]""");
        }

        // Administrators manage the ward; reading it takes a client with clinical access, here the record system's.
        // The administrator is told so, in plain words, with what to do.
        var refused = await Openward("readings", patientId, "--vital", "blood-pressure");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("openward: 403 Forbidden: this is an administrator client", refused.Error, StringComparison.Ordinal);
        Assert.Contains("openward clients add NAME --role integration", refused.Error, StringComparison.Ordinal);
        var recordSystem = await Openward("clients", "add", "Record system", "--role", "integration");
        var client = (recordSystem.Json.GetProperty("clientId").GetString()!, recordSystem.Json.GetProperty("clientSecret").GetString()!);
        Task<CliProcess.Outcome> AsRecordSystem(params string[] args) =>
            CliProcess.RunAsync(client, [.. args, "--server", server.BaseAddress.ToString()]);

        var readings = await AsRecordSystem("readings", patientId, "--vital", "blood-pressure");
        Assert.Equal(0, readings.ExitCode);
        var reading = Assert.Single(readings.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(128, reading.GetProperty("components").GetProperty("systolic").GetDouble());
        Assert.Equal("85354-9", reading.GetProperty("loinc").GetString());

        var hourly = await AsRecordSystem("readings", patientId, "--vital", "blood-pressure", "--resolution", "1h", "--from", "2026-11-20T00:00:00Z", "--to", "2026-11-21T00:00:00Z");
        Assert.Equal(1, Assert.Single(hourly.Json.GetProperty("buckets").EnumerateArray()).GetProperty("count").GetInt64());

        var rotated = await Openward("devices", "rotate-secret", "cuff-walk-1");
        Assert.Equal(0, rotated.ExitCode);
        Assert.NotEqual(secret, rotated.Json.GetProperty("secret").GetString());

        using (var key = System.Security.Cryptography.ECDsa.Create())
        using (var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=cuff-walk-1", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
                   .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)))
        {
            var pem = Path.Combine(server.DataDirectory, "cuff-walk-1.pem");
            await File.WriteAllTextAsync(pem, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
            var pinned = await Openward("devices", "pin-certificate", "cuff-walk-1", "--pem", pem);
            Assert.Equal(0, pinned.ExitCode);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(certificate.RawData)),
                pinned.Json.GetProperty("certificateSha256").GetString());
        }

        var upgraded = await Openward("devices", "firmware", "cuff-walk-1", "2.1.0");
        Assert.Equal(0, upgraded.ExitCode);
        Assert.Equal("2.1.0", upgraded.Json.GetProperty("firmware").GetString());

        var revoke = await Openward("devices", "revoke", "cuff-walk-1");
        Assert.Equal(0, revoke.ExitCode);
        Assert.True(revoke.Json.TryGetProperty("revokedAt", out _));
    }

    [Fact]
    public async Task ClientsAdd_PrintsCredentialsThatCanSignIn()
    {
        var created = await Openward("clients", "add", "Ward EHR interface");

        Assert.Equal(0, created.ExitCode);
        var credentials = (created.Json.GetProperty("clientId").GetString()!, created.Json.GetProperty("clientSecret").GetString()!);
        Assert.Equal("integration", created.Json.GetProperty("role").GetString());
        using var signedIn = await server.SignInAsync(credentials);
    }

    [Fact]
    public async Task ClientsAdd_WithAKeySet_RegistersABackendServiceWithoutASecret_ThatSignsItsTokenRequests()
    {
        using var service = BackendService.Create("ES384");
        var keys = Path.Combine(server.DataDirectory, "regional-record.jwks.json");
        await File.WriteAllTextAsync(keys, service.PublicKeySet(), TestContext.Current.CancellationToken);

        var created = await Openward("clients", "add", "Regional record", "--role", "integration", "--jwks", keys, "--scope", "system/Observation.rs");

        Assert.Equal(0, created.ExitCode);
        Assert.False(created.Json.TryGetProperty("clientSecret", out _));
        Assert.Equal(["system/Observation.rs"], created.Json.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var tokenUrl = await BackendService.TokenUrlAsync(http);
        var signed = service.WithClientId(created.Json.GetProperty("clientId").GetString()!).Assertion(tokenUrl);
        using var token = await BackendService.RequestTokenAsync(http, tokenUrl, signed);
        Assert.Equal(System.Net.HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task ClientsAdd_WithAKeySetThatIsNotJson_SaysSo()
    {
        var keys = Path.Combine(server.DataDirectory, "not-a-key-set.json");
        await File.WriteAllTextAsync(keys, "-----BEGIN PUBLIC KEY-----", TestContext.Current.CancellationToken);

        var outcome = await Openward("clients", "add", "Regional record", "--jwks", keys);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("is not JSON", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_WithoutCredentials_ExplainsWhereTheyAreExpected()
    {
        var outcome = await CliProcess.RunAsync("patients", "list", "--server", server.BaseAddress.ToString(), "--data", "/nonexistent");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("OPENWARD_CLIENT_ID", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_RefusedByServer_PrintsTheReasonAndFails()
    {
        var outcome = await Openward("devices", "assign", "no-such-device", "--patient", "no-such-patient");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("404", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("no patient with id no-such-patient", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchIngest_AgainstTheRealServer_VerifiesEveryAcknowledgedReadingIsStored()
    {
        var outcome = await Openward("bench", "ingest", "--devices", "3", "--duration", "1", "--batch", "5", "--rate", "20",
            "--mqtt-port", server.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var report = outcome.Json;
        Assert.True(report.GetProperty("readingsAcknowledged").GetInt64() > 0);
        Assert.Equal(report.GetProperty("readingsAcknowledged").GetInt64(), report.GetProperty("readingsVerifiedStored").GetInt64());
        Assert.Equal(0, report.GetProperty("readingsLost").GetInt64());
    }
}
