using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>The fleet list searched, filtered and paged by the server: <c>GET /api/v1/devices?search=&amp;model=&amp;status=&amp;firmware=&amp;patient=&amp;page=&amp;pageSize=</c>.</summary>
public sealed class DeviceFleetQueryTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task AModelsDevices_ComeAPageAtATime_WithTheirTotal_AndLinksToTheOtherPages()
    {
        var model = "Scale " + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 23; i++)
        {
            await server.RegisterDeviceAsync("scale", model);
        }

        using var answer = await server.Admin.GetAsync($"/api/v1/devices?model={Uri.EscapeDataString(model)}&page=2&pageSize=10", TestContext.Current.CancellationToken);

        answer.EnsureSuccessStatusCode();
        var devices = await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(10, devices.GetArrayLength());
        Assert.All(devices.EnumerateArray(), d => Assert.Equal(model, d.GetProperty("model").GetString()));
        Assert.Equal("23", Assert.Single(answer.Headers.GetValues("X-Total-Count")));
        var links = Assert.Single(answer.Headers.GetValues("Link"));
        var escaped = Uri.EscapeDataString(model);
        Assert.Contains($"</api/v1/devices?model={escaped}&page=1&pageSize=10>; rel=\"first\"", links, StringComparison.Ordinal);
        Assert.Contains($"</api/v1/devices?model={escaped}&page=1&pageSize=10>; rel=\"prev\"", links, StringComparison.Ordinal);
        Assert.Contains($"</api/v1/devices?model={escaped}&page=3&pageSize=10>; rel=\"next\"", links, StringComparison.Ordinal);
        Assert.Contains($"</api/v1/devices?model={escaped}&page=3&pageSize=10>; rel=\"last\"", links, StringComparison.Ordinal);

        var last = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices?model={escaped}&page=3&pageSize=10", TestContext.Current.CancellationToken);
        Assert.Equal(3, last.GetArrayLength());
    }

    [Fact]
    public async Task Devices_AreFoundByTheirPatientsMrn_FirmwareAndStatus()
    {
        var mrn = "MRN" + Random.Shared.Next(1_000_000, 9_999_999);
        using var added = await server.Admin.PostAsJsonAsync("/api/v1/patients", new { name = "John Smith", mrn, careTeamId = server.TestWardId }, TestContext.Current.CancellationToken);
        var patientId = (await added.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
        var (assigned, _) = await server.RegisterDeviceAsync("cuff");
        await server.AssignAsync(assigned, patientId);
        var firmware = "9." + Random.Shared.Next(100, 999);
        var (revoked, _) = await server.RegisterDeviceAsync("cuff");
        using (var recorded = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{revoked}/firmware", new { version = firmware }, TestContext.Current.CancellationToken))
        {
            recorded.EnsureSuccessStatusCode();
        }

        using (var revoking = await server.Admin.PostAsync($"/api/v1/devices/{revoked}/revoke", null, TestContext.Current.CancellationToken))
        {
            revoking.EnsureSuccessStatusCode();
        }

        var byPatient = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices?patient={mrn}", TestContext.Current.CancellationToken);
        var bySearch = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices?search={mrn.ToLowerInvariant()}", TestContext.Current.CancellationToken);
        var byFirmware = await server.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/devices?firmware={firmware}&status=revoked", TestContext.Current.CancellationToken);
        var unassigned = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/devices?status=unassigned", TestContext.Current.CancellationToken);

        var found = Assert.Single(byPatient.EnumerateArray());
        Assert.Equal(assigned, found.GetProperty("id").GetString());
        Assert.Equal("John Smith", found.GetProperty("patientName").GetString());
        Assert.Equal(mrn, found.GetProperty("patientMrn").GetString());
        Assert.Equal(assigned, Assert.Single(bySearch.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(revoked, Assert.Single(byFirmware.EnumerateArray()).GetProperty("id").GetString());
        Assert.DoesNotContain(unassigned.EnumerateArray(), d => d.GetProperty("id").GetString() is var id && (id == assigned || id == revoked));
    }

    [Theory]
    [InlineData("status=lost", "status is one of connected, not-connected, assigned, unassigned, revoked, active")]
    [InlineData("page=0", "page counts from 1")]
    [InlineData("pageSize=501", "pageSize is from 1 to 500")]
    public async Task AQueryOutOfRange_IsRefused_WithTheReason(string query, string reason)
    {
        using var answer = await server.Admin.GetAsync($"/api/v1/devices?{query}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(reason, await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
