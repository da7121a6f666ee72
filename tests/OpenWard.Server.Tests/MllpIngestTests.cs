using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using OpenWard.Core.Hl7;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class MllpIngestTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static string Oru(string controlId, string device, DateTimeOffset time, params string[] observations) =>
        OruMessages.For("MRN-1", controlId, device, time, observations);

    private static string OruFor(string mrn, string controlId, string device, DateTimeOffset time, params string[] observations) =>
        OruMessages.For(mrn, controlId, device, time, observations);

    private async Task<List<Hl7Message>> ExchangeAsync(params string[] messages)
    {
        await using var client = await MllpClient.ConnectAsync(server.MllpPort);
        var acks = await client.ExchangeAsync(messages);
        Assert.True(acks.Count == messages.Length, "connection closed before every ACK arrived");
        return acks;
    }

    [Fact]
    public async Task OruR01_FromABedsideMonitor_IsStoredAndAcknowledgedAA()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);
        var oru = Oru("MSG-1", deviceId, time,
            "150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|95|262688^MDC_DIM_PERCENT^MDC",
            "150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.2.1|131|266016^MDC_DIM_MMHG^MDC",
            "150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.2.2|79|266016^MDC_DIM_MMHG^MDC");

        var ack = Assert.Single(await ExchangeAsync(oru));

        Assert.Equal(("AA", "MSG-1"), (ack.First("MSA")!.Get(1), ack.First("MSA")!.Get(2)));
        var latest = (await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray().ToDictionary(r => r.GetProperty("vital").GetString()!);
        Assert.Equal(95, latest["spo2"].GetProperty("value").GetDouble());
        Assert.Equal(131, latest["blood-pressure"].GetProperty("components").GetProperty("systolic").GetDouble());
    }

    [Fact]
    public async Task OruR01_WithABadObservation_KeepsTheRestAndAcknowledgesAEWithTheReason()
    {
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();
        var oru = Oru("MSG-2", deviceId, DateTimeOffset.UtcNow.AddMinutes(-1),
            "8867-4^Heart rate^LN||66|/min^/min^UCUM",
            "150456^MDC_PULS_OXIM_SAT_O2^MDC||180|262688^MDC_DIM_PERCENT^MDC");

        var ack = Assert.Single(await ExchangeAsync(oru));

        Assert.Equal("AE", ack.First("MSA")!.Get(1));
        Assert.Contains("OBX 2: spo2 180 % is outside the plausible range", ack.First("ERR")!.Get(8), StringComparison.Ordinal);
        Assert.Equal(66, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
        var letter = Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray());
        Assert.Equal("mllp", letter.GetProperty("channel").GetString());
        Assert.StartsWith("OBX|2|NM|150456", letter.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_OnOneConnection_AreAnsweredInOrder_MalformedAndNonOruOnesRejected()
    {
        var (deviceId, _, _) = await server.AssignedDeviceAsync();
        var adt = "MSH|^~\\&|ADT|HOSP|OpenWard|OpenWard|20261120083000+0000||ADT^A01|MSG-3|P|2.6\r";
        var unknownDevice = Oru("MSG-4", "not-registered", DateTimeOffset.UtcNow, "8867-4^Heart rate^LN||66|/min");
        var fine = Oru("MSG-5", deviceId, DateTimeOffset.UtcNow.AddSeconds(-5), "8867-4^Heart rate^LN||70|/min");

        var acks = await ExchangeAsync(adt, "this is not HL7 at all", unknownDevice, fine);

        Assert.Equal(["MSG-3", "", "MSG-4", "MSG-5"], acks.Select(a => a.First("MSA")!.Get(2)));
        Assert.Equal(["AR", "AR", "AE", "AA"], acks.Select(a => a.First("MSA")!.Get(1)));
        Assert.Contains("not accepted; OpenWard takes ORU^R01", acks[0].First("MSA")!.Get(3), StringComparison.Ordinal);
        Assert.Equal("message does not start with an MSH segment", acks[1].First("MSA")!.Get(3));
        var rejected = (await server.GetJsonAsync($"/api/v1/dead-letters?deviceId=hl7-sender:{RunningServer.LoopbackHl7Sender}")).GetProperty("items").EnumerateArray();
        Assert.Contains(rejected, l => l.GetProperty("raw").GetString() == "this is not HL7 at all");
        Assert.Contains("\"not-registered\" (OBX-18) is not registered", acks[2].First("ERR")!.Get(8), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OruR01_ForAnotherPatientThanTheDevicesOwn_IsRefusedAE_AndTheRightOneAccepted()
    {
        var mrn = "MRN-" + Guid.NewGuid().ToString("N")[..8];
        var patientId = await AddPatientWithMrnAsync(mrn);
        var (deviceId, _) = await server.RegisterDeviceAsync();
        await server.AssignAsync(deviceId, patientId, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var time = DateTimeOffset.UtcNow.AddMinutes(-1);

        var acks = await ExchangeAsync(
            OruFor("MRN-SOMEONE-ELSE", "MSG-6", deviceId, time, "8867-4^Heart rate^LN||90|/min"),
            OruFor(mrn, "MSG-7", deviceId, time.AddSeconds(1), "8867-4^Heart rate^LN||72|/min"));

        Assert.Equal(["AE", "AA"], acks.Select(a => a.First("MSA")!.Get(1)));
        Assert.Contains("PID-3 names a different patient", acks[0].First("ERR")!.Get(8), StringComparison.Ordinal);
        Assert.Equal(72, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
        Assert.Contains("PID-3", Assert.Single((await server.GetJsonAsync($"/api/v1/dead-letters?deviceId={deviceId}")).GetProperty("items").EnumerateArray()).GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OruR01_FromAnUnassignedMonitor_IsFiledUnderThePatientPid3Names()
    {
        var mrn = "MRN-" + Guid.NewGuid().ToString("N")[..8];
        var patientId = await AddPatientWithMrnAsync(mrn);
        var (monitorId, _) = await server.RegisterDeviceAsync("mon");

        var ack = Assert.Single(await ExchangeAsync(OruFor(mrn, "MSG-8", monitorId, DateTimeOffset.UtcNow.AddMinutes(-1), "8867-4^Heart rate^LN||81|/min")));

        Assert.Equal("AA", ack.First("MSA")!.Get(1));
        Assert.Equal(81, Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray()).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task OruR01_NamingAnotherRegisteredPatient_IsRefusedEvenWithoutAnMrnOnTheAssignedOne()
    {
        var other = "MRN-" + Guid.NewGuid().ToString("N")[..8];
        await AddPatientWithMrnAsync(other);
        var (deviceId, _, patientId) = await server.AssignedDeviceAsync();

        var ack = Assert.Single(await ExchangeAsync(OruFor(other, "MSG-9", deviceId, DateTimeOffset.UtcNow.AddMinutes(-1), "8867-4^Heart rate^LN||64|/min")));

        Assert.Equal("AE", ack.First("MSA")!.Get(1));
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest")).EnumerateArray());
    }

    private async Task<string> AddPatientWithMrnAsync(string mrn)
    {
        using var added = await server.Admin.PostAsJsonAsync("/api/v1/patients", new { name = "Monitored Patient", mrn, careTeamId = server.TestWardId }, TestContext.Current.CancellationToken);
        added.EnsureSuccessStatusCode();
        return (await added.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
    }
}
