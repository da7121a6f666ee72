using System.Text.Json;
using Microsoft.Playwright;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Console;

/// <summary>The console on the demo ward, as a newcomer sees it after <c>--demo</c>: the README's screenshots come from here.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoConsoleTests(BrowserDemoWard demo) : IClassFixture<BrowserDemoWard>
{
    [Fact]
    public async Task DemoSignIns_OpenTheLivingWard_TheirAlerts_APatientsDays_TheFleet_AndThePortal()
    {
        var credentials = await DemoCredentialsAsync();
        string Password(string userName) => credentials.GetProperty("users").EnumerateArray()
            .Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("password").GetString()!;

        await using (var visitor = await demo.OpenAsync())
        {
            await visitor.ScreenshotAsync("sign-in", forDocs: true);
            await visitor.AssertAccessibleAsync();
            visitor.AssertNoErrors();
        }

        await using (var clinician = await demo.SignInAsync("demo-clinician", password: Password("demo-clinician")))
        {
            await Assertions.Expect(clinician.Page.Locator("li.tile")).ToHaveCountAsync(8, new() { Timeout = 60_000 });
            await Assertions.Expect(clinician.Page.Locator("li.tile [data-vital='heart-rate']").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await clinician.ScreenshotAsync("ward-overview", forDocs: true);
            await clinician.AssertAccessibleAsync();

            await clinician.Page.GotoAsync("/console/alerts.html");
            await Assertions.Expect(clinician.Page.Locator("#alerts tr[data-alert]").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
            await clinician.ScreenshotAsync("alert-inbox", forDocs: true);

            await clinician.Page.GotoAsync("/console/");
            await clinician.Page.Locator("li.tile h2 a").First.ClickAsync();
            await Assertions.Expect(clinician.Page.Locator("#chart .strip canvas").First).ToBeVisibleAsync();
            await clinician.Page.GetByRole(AriaRole.Button, new() { Name = "7 days" }).ClickAsync();
            await Assertions.Expect(clinician.Page.Locator("#chart-title")).ToContainTextAsync("7 days");
            await clinician.ScreenshotAsync("patient-7-days", forDocs: true);
            clinician.AssertNoErrors();
        }

        await using (var administrator = await demo.SignInAsync("demo-admin", password: Password("demo-admin")))
        {
            await Assertions.Expect(administrator.Page.Locator("#fleet tr[data-device]").First).ToBeVisibleAsync();
            await administrator.ScreenshotAsync("devices", forDocs: true);
            await administrator.AssertAccessibleAsync();
            administrator.AssertNoErrors();
        }

        await using var patient = await demo.SignInAsync("demo-patient", password: Password("demo-patient"));
        await Assertions.Expect(patient.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/portal\\.html$"));
        await Assertions.Expect(patient.Page.Locator("#latest li[data-vital]").First).ToBeVisibleAsync();
        await patient.ScreenshotAsync("patient-portal", forDocs: true);
        await patient.AssertAccessibleAsync();
        patient.AssertNoErrors();
    }

    private async Task<JsonElement> DemoCredentialsAsync()
    {
        var path = Path.Combine(demo.DataDirectory, "demo-credentials.json");
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(path)), "the demo credentials file", TimeSpan.FromMinutes(1));

        return JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement;
    }
}
