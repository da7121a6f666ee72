using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public abstract class MqttIngestContract(RunningServer server)
{
    [Fact]
    public async Task Publish_ValidReading_IsAcknowledgedAndReadBack()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var time = DateTimeOffset.UtcNow.AddSeconds(-10);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(time, 72)}]");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        var latest = await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest");
        var reading = Assert.Single(latest.EnumerateArray());
        Assert.Equal("heart-rate", reading.GetProperty("vital").GetString());
        Assert.Equal(72, reading.GetProperty("value").GetDouble());
        Assert.Equal("/min", reading.GetProperty("unit").GetString());
        Assert.Equal("8867-4", reading.GetProperty("loinc").GetString());
        Assert.Equal("MDC_ECG_HEART_RATE", reading.GetProperty("mdc").GetString());
        Assert.Equal(deviceId, reading.GetProperty("deviceId").GetString());
    }

    [Fact]
    public async Task Publish_OverMqtt311_IsStored()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret, MqttProtocolVersion.V311);

        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 64)}]");

        var latest = await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest");
        Assert.Equal(64, Assert.Single(latest.EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Connect_WithWrongSecret_IsRefused()
    {
        var (deviceId, _) = await server.RegisterDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();

        var refusal = await client.ConnectAsync(server.MqttOptions(deviceId, "not-the-secret").Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refusal.ResultCode);
    }

    [Fact]
    public async Task Connect_UnknownDevice_IsRefused()
    {
        using var client = new MqttClientFactory().CreateMqttClient();

        var refusal = await client.ConnectAsync(server.MqttOptions("nobody", "secret").Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refusal.ResultCode);
    }

    [Fact]
    public async Task Connect_WithAnotherDevicesClientId_IsRefused()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();

        var refusal = await client.ConnectAsync(server.MqttOptions(deviceId, secret).WithClientId("someone-else").Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, refusal.ResultCode);
    }

    [Fact]
    public async Task Connect_WithTheClientIdOfADeviceWhoseIdExtendsItsOwn_IsRefused_AndThatDeviceKeepsItsSession()
    {
        var ward = "ward-" + Guid.NewGuid().ToString("N")[..8];
        var (shortId, shortSecret) = await server.RegisterDeviceWithIdAsync(ward);
        var (longId, longSecret) = await server.RegisterDeviceWithIdAsync(ward + "-oxi");
        using var victim = await server.ConnectDeviceAsync(longId, longSecret);
        using var attacker = new MqttClientFactory().CreateMqttClient();

        var refusal = await attacker.ConnectAsync(server.MqttOptions(shortId, shortSecret).WithClientId(longId).Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, refusal.ResultCode);
        var stillServed = await victim.PublishReadingsAsync($"devices/{longId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-1), 71)}]");
        Assert.Equal(MqttClientPublishReasonCode.Success, stillServed.ReasonCode);
    }

    [Fact]
    public async Task Connect_WithTheDeviceIdAndASuffixAfterAColon_IsAccepted()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(server.MqttOptions(deviceId, secret).WithClientId(deviceId + ":uplink-2").Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task Publish_ToAnotherDevicesTopic_IsRefusedAndNotStored()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        var (victimId, _, victimPatient) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        var result = await device.PublishReadingsAsync($"devices/{victimId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 80)}]");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{victimPatient}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task Subscribe_ToAnythingButItsOwnRefusals_IsRefused()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        var (otherId, _) = await server.RegisterDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        var own = await device.SubscribeAsync($"devices/{deviceId}/refusals", MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(own.Items).ResultCode);
        foreach (var elsewhere in new[] { "devices/#", $"devices/{deviceId}/readings", $"devices/{deviceId}/#", $"devices/{otherId}/refusals" })
        {
            var refused = await device.SubscribeAsync(elsewhere, MqttQualityOfServiceLevel.AtLeastOnce, TestContext.Current.CancellationToken);
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(refused.Items).ResultCode);
        }
    }

    [Fact]
    public async Task Publish_ReadingThatDiffersFromOneStoredForTheSameTime_IsRefusedAndDeadLetteredWithBothValues_WhileAnExactResendIsADuplicate()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        // A reading stamped a few minutes ahead (a clock that ran fast, or a forged upload) is within the allowed skew...
        var ahead = DateTimeOffset.UtcNow.AddMinutes(3);
        var first = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(ahead, 151)}]");
        Assert.Equal(MqttClientPublishReasonCode.Success, first.ReasonCode);

        // ...and when the genuine reading for that second arrives, it is not silently dropped as a duplicate.
        var genuine = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(ahead, 72)}]");
        var resend = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(ahead, 151)}]");

        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, genuine.ReasonCode);
        Assert.StartsWith("stored 0, duplicates 0, refused 1; [0] conflicts with", genuine.ReasonString, StringComparison.Ordinal);
        Assert.Equal(MqttClientPublishReasonCode.Success, resend.ReasonCode); // the same value again: a duplicate, acknowledged
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        var reason = letter.GetProperty("reason").GetString()!;
        Assert.Contains("stored 151 /min", reason, StringComparison.Ordinal);
        Assert.Contains("received 72 /min", reason, StringComparison.Ordinal);
        Assert.Contains("\"value\":72", letter.GetProperty("raw").GetString(), StringComparison.Ordinal);
        var latest = Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
        Assert.Equal(151, latest.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Publish_ReadingMoreThanFiveMinutesAhead_IsRefusedAndDeadLettered()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(10), 80)}]");

        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, result.ReasonCode);
        Assert.Contains("ahead of the server clock", result.ReasonString, StringComparison.Ordinal);
        Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Publish_PartlyInvalidBatch_KeepsValidReadingsAndDeadLettersTheRest()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var payload = await File.ReadAllTextAsync("TestData/mixed-batch.json", TestContext.Current.CancellationToken);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", payload);

        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, result.ReasonCode);
        Assert.StartsWith("stored 3, duplicates 0, refused 3", result.ReasonString, StringComparison.Ordinal);
        var latest = (await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray().ToDictionary(r => r.GetProperty("vital").GetString()!);
        Assert.Equal(["blood-glucose", "blood-pressure", "heart-rate"], latest.Keys.Order());
        Assert.Equal(5.5 * 18.016, latest["blood-glucose"].GetProperty("value").GetDouble(), precision: 6);
        Assert.Equal("mg/dL", latest["blood-glucose"].GetProperty("unit").GetString());
        Assert.Equal(128, latest["blood-pressure"].GetProperty("components").GetProperty("systolic").GetDouble());

        var letters = (await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray()
            .ToDictionary(l => l.GetProperty("itemIndex").GetInt32());
        Assert.Equal([1, 4, 5], letters.Keys.Order());
        Assert.Contains("outside the plausible range", letters[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"value\":140", letters[1].GetProperty("raw").GetString(), StringComparison.Ordinal);
        Assert.Contains("unit \"stone\" is not accepted", letters[4].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("expected an object", letters[5].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.All(letters.Values, l => Assert.Equal("mqtt", l.GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task Publish_WithInvalidUtf8InAString_IsAcknowledged_KeepsTheValidReading_AndDeadLettersTheOther()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var now = DateTimeOffset.UtcNow;
        var payload = System.Text.Encoding.UTF8.GetBytes($"[{Publishing.HeartRate(now.AddSeconds(-2), 71)},{{\"vital\":\"heart-rate\",\"time\":\"{Publishing.Time(now.AddSeconds(-1))}\",\"value\":72,\"unit\":\"/mi")
            .Concat(new byte[] { 0xFF }).Concat(System.Text.Encoding.UTF8.GetBytes("\"}]")).ToArray();

        var result = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"devices/{deviceId}/readings").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientPublishReasonCode.ImplementationSpecificError, result.ReasonCode);
        Assert.StartsWith("stored 1, duplicates 0, refused 1", result.ReasonString, StringComparison.Ordinal);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Equal("a text in the reading is not valid UTF-8", letter.GetProperty("reason").GetString());
        // The connection stays up: the device's next reading is stored.
        Assert.Equal(MqttClientPublishReasonCode.Success, (await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(now, 73)}]")).ReasonCode);
        Assert.True(device.IsConnected);
    }

    [Fact]
    public async Task Publish_NotJson_IsRefusedWithReasonAndDeadLettered()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", "{heart rate 72");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.StartsWith("payload is not valid JSON", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("{heart rate 72", letter.GetProperty("raw").GetString());
    }

    [Fact]
    public async Task Publish_PayloadOver256KiB_IsRefused()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var readings = Enumerable.Range(0, 4000).Select(i => Publishing.HeartRate(start.AddSeconds(i), 70));

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(',', readings) + "]");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.Contains("larger than the limit of 262144 bytes", result.ReasonString, StringComparison.Ordinal);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task Publish_SameReadingTwice_StoresItOnce()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var payload = $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-1), 75)}]";

        var first = await device.PublishReadingsAsync($"devices/{deviceId}/readings", payload);
        var second = await device.PublishReadingsAsync($"devices/{deviceId}/readings", payload);

        Assert.Equal(MqttClientPublishReasonCode.Success, first.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, second.ReasonCode);
        var page = await server.GetJsonAsync($"/api/v1/patients/{patientId}/readings?vital=heart-rate");
        Assert.Single(page.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Device_ReassignedBetweenPatients_ReadingsLandWithThePatientOfTheirTime()
    {
        var first = await server.AddPatientAsync("First");
        var second = await server.AddPatientAsync("Second");
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        var handover = DateTimeOffset.UtcNow.AddHours(-1);
        await server.AssignAsync(deviceId, first, handover.AddHours(-5));
        await server.AssignAsync(deviceId, second, handover);
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        // One buffered upload spanning the handover.
        await device.PublishReadingsAsync($"devices/{deviceId}/readings",
            $"[{Publishing.HeartRate(handover.AddMinutes(-10), 61)},{Publishing.HeartRate(handover.AddMinutes(10), 99)}]");

        var firstReadings = (await server.GetJsonAsync($"/api/v1/patients/{first}/readings?vital=heart-rate")).GetProperty("items");
        var secondReadings = (await server.GetJsonAsync($"/api/v1/patients/{second}/readings?vital=heart-rate")).GetProperty("items");
        Assert.Equal(61, Assert.Single(firstReadings.EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Equal(99, Assert.Single(secondReadings.EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Revoke_DisconnectsDeviceAndRefusesReconnect()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device.DisconnectedAsync += _ =>
        {
            disconnected.TrySetResult();
            return Task.CompletedTask;
        };

        using var response = await server.Admin.PostAsync($"/api/v1/devices/{deviceId}/revoke", null, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();

        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using var again = new MqttClientFactory().CreateMqttClient();
        var refusal = await again.ConnectAsync(server.MqttOptions(deviceId, secret).Build(), TestContext.Current.CancellationToken);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refusal.ResultCode);
    }

    [Fact]
    public async Task Publish_OverTls_IsStored()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = new MqttClientFactory().CreateMqttClient();
        var options = server.MqttOptions(deviceId, secret)
            .WithTcpServer("127.0.0.1", server.MqttTlsPort)
            .WithTlsOptions(tls => tls.UseTls().WithCertificateValidationHandler(_ => true))
            .Build();
        await device.ConnectAsync(options, TestContext.Current.CancellationToken);

        var result = await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 70)}]");

        Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    [Fact]
    public async Task Publish_CommittedReadings_ReachThePatientsGrain()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        using var device = await server.ConnectDeviceAsync(deviceId, secret);

        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow, 88)}]");

        // Grains are fed after the commit.
        var state = await Eventually.MatchAsync(() => server.GetJsonAsync($"/api/v1/patients/{patientId}/monitoring"),
            s => s.GetProperty("latest").GetArrayLength() > 0, "the reading to reach the patient's grain");

        var latest = Assert.Single(state.GetProperty("latest").EnumerateArray());
        Assert.Equal(88, latest.GetProperty("value").GetDouble());
    }
}

/// <summary>The contract on the embedded SQLite store.</summary>
public sealed class MqttIngestTests(RunningServer server) : MqttIngestContract(server), IClassFixture<RunningServer>;

/// <summary>The contract on a PostgreSQL store.</summary>
public sealed class MqttIngestOnPostgreSqlTests(PostgreSqlServer server) : MqttIngestContract(server), IClassFixture<PostgreSqlServer>;
