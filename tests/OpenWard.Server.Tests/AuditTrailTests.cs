using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class AuditTrailTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task ReadingAPatientsData_IsAnAuditEvent_WithWhoWhenWhereAndOutcome()
    {
        var patientId = await server.AddPatientAsync();
        await server.GetJsonAsync($"/api/v1/patients/{patientId}/latest");
        using (var stranger = new HttpClient { BaseAddress = server.BaseAddress })
        {
            using var refused = await stranger.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        }

        var bundle = JsonDocument.Parse(await server.Admin.GetStringAsync($"/fhir/AuditEvent?patient={patientId}", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(("Bundle", "searchset"), (bundle.GetProperty("resourceType").GetString(), bundle.GetProperty("type").GetString()));
        var events = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        Assert.All(events, e => Assert.Equal($"Patient/{patientId}", e.GetProperty("entity")[0].GetProperty("what").GetProperty("reference").GetString()));
        var read = Assert.Single(events, e => e.GetProperty("outcomeDesc").GetString() == "HTTP 200"
            && e.GetProperty("subtype")[0].GetProperty("code").GetString() == "GET /api/v1/patients/{patientId}/latest");
        Assert.Equal(("AuditEvent", "R", "0"), (read.GetProperty("resourceType").GetString(), read.GetProperty("action").GetString(), read.GetProperty("outcome").GetString()));
        Assert.StartsWith("user:usr-", read.GetProperty("agent")[0].GetProperty("who").GetProperty("identifier").GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", read.GetProperty("agent")[0].GetProperty("network").GetProperty("address").GetString());
        var denied = Assert.Single(events, e => e.GetProperty("outcomeDesc").GetString() == "HTTP 401");
        Assert.Equal(("anonymous", "4"), (denied.GetProperty("agent")[0].GetProperty("who").GetProperty("identifier").GetProperty("value").GetString(), denied.GetProperty("outcome").GetString()));
    }
}
