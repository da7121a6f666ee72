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
        await tab.Page.GetByLabel("Device id").FillAsync(deviceId);
        await tab.Page.GetByLabel("Model").FillAsync("Blood-pressure cuff");
        await tab.Page.GetByLabel("Serial number").FillAsync("BP-0042");
        await tab.Page.GetByLabel("Firmware version").FillAsync("1.4.2");
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
        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("just now|s ago|min ago")); // last seen
        await tab.ScreenshotAsync("devices");
        await tab.AssertAccessibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Confirm: revoke now" }).ClickAsync();
        await Assertions.Expect(tab.Page.Locator($"tr[data-device='{deviceId}'][data-revoked='true']")).ToHaveCountAsync(1);
        tab.AssertNoErrors();
    }
}
