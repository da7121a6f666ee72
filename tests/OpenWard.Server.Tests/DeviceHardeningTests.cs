using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class DeviceHardeningTests(StrictDeviceLimitsServer server) : IClassFixture<StrictDeviceLimitsServer>
{
    [Fact]
    public async Task WrongSecrets_FromOneAddress_SlowThatAddress_NotTheDeviceHoldingTheRightSecret()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var refusal = await ConnectAsync(deviceId, "guess-" + attempt, Guesser);
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refusal.ResultCode);
        }

        // The guesser's next attempt waits out the back-off, whatever secret it sends…
        var slowed = await ConnectAsync(deviceId, "guess-6", Guesser);
        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, slowed.ResultCode);
        Assert.Contains("retry in", slowed.ReasonString, StringComparison.Ordinal);
        // …while the device, from its own address, is accepted at once.
        Assert.Equal(MqttClientConnectResultCode.Success, (await ConnectAsync(deviceId, secret, Device)).ResultCode);
        // Behind the guesser's address too, the right secret is accepted as soon as it is checked again.
        Assert.True(await EventuallyAcceptedAsync(deviceId, secret, Guesser), "the right secret was never accepted from the guesser's address");
    }

    [Fact]
    public async Task HttpUpload_AfterRepeatedWrongSecrets_IsAskedToWait_FromThatAddressOnly()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var guess = await UploadAsync(deviceId, "guess-" + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using var slowed = await UploadAsync(deviceId, secret);
        using var elsewhere = await UploadAsync(deviceId, secret, Device);

        Assert.Equal(HttpStatusCode.TooManyRequests, slowed.StatusCode);
        Assert.InRange(slowed.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Accepted, elsewhere.StatusCode);
    }

    [Fact]
    public async Task SustainedGuessing_IsReportedToAdministrators()
    {
        var (deviceId, _) = await server.RegisterDeviceAsync();

        // Five guesses from each of two addresses: the threshold of this server is ten.
        foreach (var address in new[] { Guesser, Device })
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await ConnectAsync(deviceId, $"guess-{address}-{attempt}", address);
            }
        }

        Assert.Contains(server.Logs.Messages, line => line.Contains("Sustained sign-in guessing", StringComparison.Ordinal) && line.Contains(deviceId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publishing_FasterThanTheRateLimit_IsRefusedWithQuotaExceeded_AndOnlyAcceptedMessagesAreStored()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var codes = new List<MqttClientPublishReasonCode>();
        for (var i = 0; i < 6; i++)
        {
            var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"heart-rate","time":"2026-11-20T09:00:0{{i}}Z","value":7{{i}},"unit":"/min"}]""");
            codes.Add(result.ReasonCode);
        }

        var accepted = codes.Count(c => c == MqttClientPublishReasonCode.Success);
        Assert.InRange(accepted, 3, 5);
        Assert.Contains(MqttClientPublishReasonCode.QuotaExceeded, codes);
        var stored = await server.GetJsonAsync($"/api/v1/patients/{patientId}/readings?vital=heart-rate&from=2026-11-20T00:00:00Z");
        Assert.Equal(accepted, stored.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task RotatedSecret_ReplacesTheOldOneAtOnce_AndClosesItsSessions()
    {
        var (deviceId, oldSecret) = await server.RegisterDeviceAsync();
        using var session = await server.ConnectDeviceAsync(deviceId, oldSecret);
        var closed = new TaskCompletionSource();
        session.DisconnectedAsync += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        using var rotated = await server.Admin.PostAsync($"/api/v1/devices/{deviceId}/secret", null, TestContext.Current.CancellationToken);
        var newSecret = (await rotated.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("secret").GetString()!;
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        using var withOld = new MqttClientFactory().CreateMqttClient();
        var refused = await withOld.ConnectAsync(server.MqttOptions(deviceId, oldSecret).Build(), TestContext.Current.CancellationToken);
        using var withNew = await server.ConnectDeviceAsync(deviceId, newSecret);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused.ResultCode);
        Assert.True(withNew.IsConnected);
    }

    [Fact]
    public async Task DeviceWithAPinnedCertificate_MustPresentIt_OverMqttWithTls()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var own = TestCertificates.SelfSigned("CN=" + deviceId);
        using var other = TestCertificates.SelfSigned("CN=someone-else");
        using var pinned = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{deviceId}/certificate",
            new { certificatePem = own.ExportCertificatePem() }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);

        var withoutCertificate = await ConnectOverTlsAsync(deviceId, secret, certificate: null);
        var withAnother = await ConnectOverTlsAsync(deviceId, secret, other);
        var withOwn = await ConnectOverTlsAsync(deviceId, secret, own);
        var withOwnButWrongSecret = await ConnectOverTlsAsync(deviceId, secret + "x", own);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withoutCertificate);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withAnother);
        Assert.Equal(MqttClientConnectResultCode.Success, withOwn);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, withOwnButWrongSecret);
    }

    [Fact]
    public async Task DeviceWithAPinnedCertificate_MustPresentIt_ToUploadOverHttps()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var own = TestCertificates.SelfSigned("CN=" + deviceId);
        using var other = TestCertificates.SelfSigned("CN=someone-else");
        using var pinned = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{deviceId}/certificate",
            new { certificatePem = own.ExportCertificatePem() }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);

        var overPlainHttp = await HttpsUploads.HeartRateAsync(server.BaseAddress, deviceId, secret, certificate: null, 61);
        var withoutCertificate = await HttpsUploads.HeartRateAsync(server.HttpsAddress, deviceId, secret, certificate: null, 62);
        var withAnother = await HttpsUploads.HeartRateAsync(server.HttpsAddress, deviceId, secret, other, 63);
        var withOwn = await HttpsUploads.HeartRateAsync(server.HttpsAddress, deviceId, secret, own, 64);

        Assert.Equal(
            [HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Accepted],
            [overPlainHttp, withoutCertificate, withAnother, withOwn]);
        var stored = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal(64, stored.GetProperty("value").GetDouble());
    }

    private async Task<MqttClientConnectResultCode> ConnectOverTlsAsync(
        string deviceId, string secret, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", server.MqttTlsPort)
            .WithClientId(deviceId)
            .WithCredentials(deviceId, secret)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .WithTlsOptions(tls =>
            {
                tls.UseTls().WithCertificateValidationHandler(_ => true);
                if (certificate is not null)
                {
                    tls.WithClientCertificates([certificate]);
                }
            })
            .Build();
        var result = await client.ConnectAsync(options, TestContext.Current.CancellationToken);
        return result.ResultCode;
    }

    // Loopback has a whole /8: a second address stands for a device elsewhere (or behind another NAT).
    private static readonly IPAddress Guesser = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress Device = IPAddress.Parse("127.0.0.2");

    private async Task<MqttClientConnectResult> ConnectAsync(string deviceId, string secret, IPAddress from)
    {
        var options = server.MqttOptions(deviceId, secret).Build();
        ((MqttClientTcpOptions)options.ChannelOptions).LocalEndpoint = new IPEndPoint(from, 0);
        using var client = new MqttClientFactory().CreateMqttClient();
        return await client.ConnectAsync(options, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Tries the right secret from an address, moving the guard's clock on a second after each refusal,
    /// until the longest back-off (a minute) has passed.
    /// </summary>
    private async Task<bool> EventuallyAcceptedAsync(string deviceId, string secret, IPAddress from)
    {
        for (var seconds = 0; seconds <= 60; seconds++)
        {
            if ((await ConnectAsync(deviceId, secret, from)).ResultCode == MqttClientConnectResultCode.Success)
            {
                return true;
            }

            server.GuardClock.Advance(TimeSpan.FromSeconds(1));
        }

        return false;
    }

    private async Task<HttpResponseMessage> UploadAsync(string deviceId, string secret, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(from ?? Guesser, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        return await http.PostAsync($"/api/v1/devices/{deviceId}/readings",
            new StringContent("""[{"vital":"heart-rate","time":"2026-11-20T09:00:00Z","value":70,"unit":"/min"}]""", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
    }
}
