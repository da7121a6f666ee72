using System.Net.Http.Json;
using Microsoft.Playwright;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Console;

/// <summary>The administrator's device pages in real Chromium: register, assign, see a refused message's reason, revoke.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeviceFleetTests(BrowserWard ward) : IClassFixture<BrowserWard>
{
    [Fact]
    public async Task Administrator_RegistersAndAssignsADevice_SeesWhyAMessageWasRefused_AndRevokesIt()
    {
        var patientId = await ward.AddPatientAsync("Florence Nightingale", ward.TestWardId);
        var (_, admin) = await ward.AddUserAsync("administrator");
        var deviceId = "cuff-" + Guid.NewGuid().ToString("N")[..10];

        await using var tab = await ward.SignInAsync(admin);
        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/devices\\.html$"));
        var register = tab.Page.Locator("#register");
        await register.GetByLabel("Device id").FillAsync(deviceId);
        await register.GetByLabel("Model").FillAsync("Blood-pressure cuff");
        await register.GetByLabel("Serial number").FillAsync("BP-0042");
        await register.GetByLabel("Firmware version").FillAsync("1.4.2");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();

        var secret = await tab.Page.Locator("#device-secret").TextContentAsync();
        Assert.False(string.IsNullOrWhiteSpace(secret));
        var row = tab.Page.Locator($"tr[data-device='{deviceId}']");
        await row.GetByLabel("Assign to").SelectOptionAsync(patientId);
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("Florence Nightingale"); // the patient column, once assigned
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("1.4.2");
        await row.GetByLabel("Firmware", new() { Exact = true }).FillAsync("1.5.0");
        await row.GetByRole(AriaRole.Button, new() { Name = "Record firmware" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#status")).ToContainTextAsync("firmware recorded");
        await Assertions.Expect(tab.Page.Locator($"tr[data-device='{deviceId}'] td").Nth(3)).ToHaveTextAsync("1.5.0");

        // The new device's first message is not JSON: refused, and the reason is on the page.
        using (var device = await ward.ConnectDeviceAsync(deviceId, secret!))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", "systolic=120;diastolic=80");
        }

        await tab.Page.ReloadAsync();
        await Assertions.Expect(tab.Page.Locator("#dead-letters tr", new() { HasText = deviceId })).ToHaveCountAsync(1);
        await tab.Page.Locator("#filters").GetByLabel("Find").FillAsync(deviceId); // the fleet may hold more than a page (other tests' devices)
        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("just now|s ago|min ago")); // last seen
        await tab.ScreenshotAsync("devices");
        await tab.AssertAccessibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Confirm: revoke now" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator($"tr[data-device='{deviceId}'][data-revoked='true']")).ToHaveCountAsync(1);
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task AFleetOfManyDevices_IsFoundByFilters_APageAtATime_AndAssignedToTheRightOfTwoPatientsOfOneName()
    {
        var model = "Scale " + Guid.NewGuid().ToString("N")[..6];
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await ward.RegisterDeviceWithIdAsync($"{model[6..]}-{i:D2}", model)).Id);
        }

        await ward.RegisterDeviceWithIdAsync($"{model[6..]}-other", "Thermometer"); // so that the model filter narrows the fleet, whichever test ran first

        var mrn = "K" + Random.Shared.Next(1_000_000, 9_999_999);
        await AddPatientAsync("John Smith", "J" + Random.Shared.Next(1_000_000, 9_999_999));
        var patientId = await AddPatientAsync("John Smith", mrn);
        var (_, admin) = await ward.AddUserAsync("administrator");

        await using var tab = await ward.SignInAsync(admin);
        var filters = tab.Page.Locator("#filters");
        await filters.GetByLabel("Model").FillAsync(model);
        await Assertions.Expect(tab.Page.Locator("#summary")).ToContainTextAsync("30 of ");
        await Assertions.Expect(tab.Page.Locator("#fleet tr")).ToHaveCountAsync(25);
        await Assertions.Expect(tab.Page.Locator("#page-position")).ToHaveTextAsync("1–25 of 30 · page 1 of 2");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#fleet tr")).ToHaveCountAsync(5);
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeDisabledAsync();

        // The two John Smiths are told apart by their MRNs.
        var row = tab.Page.Locator($"tr[data-device='{ids[29]}']");
        await row.GetByLabel("Assign to").SelectOptionAsync(new SelectOptionValue { Label = $"John Smith — MRN {mrn}" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#status")).ToContainTextAsync($"is now assigned to John Smith — MRN {mrn}");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync($"John Smith MRN {mrn}");

        await filters.GetByLabel("Patient").FillAsync(mrn);
        await Assertions.Expect(tab.Page.Locator("#fleet tr")).ToHaveCountAsync(1);
        await Assertions.Expect(tab.Page.Locator("#page-position")).ToHaveTextAsync("1–1 of 1 · page 1 of 1");
        await filters.GetByLabel("Status").SelectOptionAsync("revoked");
        await Assertions.Expect(tab.Page.Locator("#fleet")).ToHaveTextAsync("No devices match.");
        await tab.AssertAccessibleAsync();
        tab.AssertNoErrors();
        Assert.Equal(patientId, (await ward.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/devices/{ids[29]}", TestContext.Current.CancellationToken)).GetProperty("patientId").GetString());
    }

    private async Task<string> AddPatientAsync(string name, string mrn)
    {
        using var added = await ward.Admin.PostAsJsonAsync("/api/v1/patients", new { name, mrn, careTeamId = ward.TestWardId }, TestContext.Current.CancellationToken);
        added.EnsureSuccessStatusCode();
        return (await added.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString()!;
    }
}
