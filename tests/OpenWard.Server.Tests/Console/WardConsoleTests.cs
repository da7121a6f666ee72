using Microsoft.Playwright;
using OpenWard.Server.Tests.Fixtures;

namespace OpenWard.Server.Tests.Console;

/// <summary>The clinician console in real Chromium against the real server: sign-in, the live ward, alerts, a patient's chart, scoping.</summary>
public sealed class WardConsoleTests(BrowserWard ward) : IClassFixture<BrowserWard>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task Nurse_SignsIn_SeesTheWard_AndATileChangesLiveWhenADevicePublishes()
    {
        var team = await ward.AddCareTeamAsync("Heart failure virtual ward " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await ward.AddPatientAsync("Ada Lovelace", team);
        var (deviceId, secret) = await ward.RegisterDeviceAsync(model: "Pulse oximeter");
        await ward.AssignAsync(deviceId, patientId, Now.AddDays(-1));
        using var device = await ward.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(Now.AddMinutes(-5), 72)}]");
        var (_, nurse) = await ward.AddUserAsync("nurse", team);

        await using var tab = await ward.SignInAsync(nurse);
        var tile = tab.Page.Locator($"li.tile[data-patient='{patientId}']");
        await Assertions.Expect(tile.Locator("[data-vital='heart-rate']")).ToContainTextAsync("72 /min");
        await Assertions.Expect(tab.Page.Locator("body[data-live='connected']")).ToHaveCountAsync(1);

        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(Now, 97)}]");

        await Assertions.Expect(tile.Locator("[data-vital='heart-rate']")).ToContainTextAsync("97 /min");
        await tab.ScreenshotAsync("ward-overview");
        Assert.Empty(await tab.SeriousAccessibilityViolationsAsync());
        tab.AssertNoErrors();
    }
}
