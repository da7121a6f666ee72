using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Console;

/// <summary>The clinician console in real Chromium against the real server: sign-in, the live ward, alerts, a patient's chart, scoping.</summary>
[Collection(BrowserCollection.Name)]
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
        await tab.AssertAccessibleAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Clinician_ReceivesACriticalAlertLive_HearsTheCue_AndAcknowledgesItInOneClick()
    {
        var (team, patientId, inbox) = await AlertInboxAsync("Community ward", "Grace Hopper");
        await using var tab = inbox;

        await PressHelpButtonAsync(patientId);

        var row = tab.Page.Locator("tr[data-state='raised']", new() { HasText = "Grace Hopper" });
        await Assertions.Expect(row).ToContainTextAsync("critical");
        await Assertions.Expect(tab.Page.Locator("body[data-chimed='1']")).ToHaveCountAsync(1);
        await tab.ScreenshotAsync("alert-inbox");
        await tab.AssertAccessibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Assertions.Expect(tab.Page.Locator("tr[data-state='acknowledged']", new() { HasText = "Grace Hopper" })).ToHaveCountAsync(1);
        using var careTeamApi = await ward.SignInPersonAsync("clinician", team);
        var stored = await careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?patientId={patientId}&state=all", TestContext.Current.CancellationToken);
        Assert.Equal("acknowledged", Assert.Single(stored.EnumerateArray()).GetProperty("state").GetString());

        // The patient's page tells the alert's story, naming who acknowledged it.
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" }).ClickAsync();
        await tab.Page.GetByText("Timeline (").First.ClickAsync();
        await Assertions.Expect(tab.Page.Locator("#alert-list")).ToContainTextAsync("by Test clinician");
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Clinician_ResolvesAnAlertSayingWhetherItWasActionable_AndSeesItInTheAlertQuality()
    {
        var (team, patientId, inbox) = await AlertInboxAsync("Falls ward", "Florence Nightingale");
        await using var tab = inbox;
        await Assertions.Expect(tab.Page.Locator("#quality")).ToContainTextAsync("No alerts raised in this period.");
        await PressHelpButtonAsync(patientId);
        var row = tab.Page.Locator("tr[data-state='raised']", new() { HasText = "Florence Nightingale" });

        await row.GetByRole(AriaRole.Button, new() { Name = "Resolve…" }).ClickAsync();

        var dialog = tab.Page.GetByRole(AriaRole.Dialog, new() { Name = "Resolve alert" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByLabel("Note: why it is resolved").FillAsync("Pressed by accident while dressing");
        await Assertions.Expect(dialog.GetByRole(AriaRole.Group, new() { Name = "Was this alert actionable?" })).ToBeVisibleAsync();
        await tab.AssertAccessibleAsync();
        // Whether it was actionable must be answered: without it the dialog stays open.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resolve alert" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "No — artefact" }).CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Resolve alert" }).ClickAsync();

        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("resolved (not actionable)");
        await Assertions.Expect(tab.Page.Locator("tr[data-alert]", new() { HasText = "Florence Nightingale" })).ToHaveCountAsync(0);
        using var careTeamApi = await ward.SignInPersonAsync("clinician", team);
        var stored = await careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?patientId={patientId}&state=all", TestContext.Current.CancellationToken);
        Assert.False(Assert.Single(stored.EnumerateArray()).GetProperty("actionable").GetBoolean());

        // One patient over 7 days: one alert is 0.14 per patient-day, and a PPV of 0 % once labelled not actionable.
        var quality = tab.Page.GetByRole(AriaRole.Region, new() { Name = "Alert quality" });
        var rule = quality.Locator("#quality tr[data-rule='emergency:emergency-call']");
        await Assertions.Expect(rule.Locator("th")).ToHaveTextAsync("Emergency call (help button)");
        await Assertions.Expect(rule.Locator("td")).ToHaveTextAsync(["1", "0.14", "0", "1", "0", "0 %"]);
        await Assertions.Expect(quality.Locator("#quality-total td")).ToHaveTextAsync(["1", "0.14", "0", "1", "0", "0 %"]);
        await quality.GetByLabel("Period").SelectOptionAsync("30");
        await Assertions.Expect(quality.Locator("#quality-summary")).ToContainTextAsync("1 patient × 30 days = 30 patient-days");
        await Assertions.Expect(rule.Locator("td").Nth(1)).ToHaveTextAsync("0.03");
        await tab.ScreenshotAsync("alert-quality");
        await tab.AssertAccessibleAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Clinician_OpensAPatientsSevenDayChart_WithTheirLimitsAndReadings()
    {
        var team = await ward.AddCareTeamAsync("Respiratory ward " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await ward.AddPatientAsync("Alan Turing", team);
        var (deviceId, secret) = await ward.RegisterDeviceAsync(model: "Pulse oximeter");
        await ward.AssignAsync(deviceId, patientId, Now.AddDays(-8));
        using var device = await ward.ConnectDeviceAsync(deviceId, secret);
        var week = Enumerable.Range(0, 7 * 24).Select(hour => Publishing.HeartRate(Now.AddHours(-hour), 70 + (hour % 24)));
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(',', week) + "]");
        var (_, clinician) = await ward.AddUserAsync("clinician", team);

        await using var tab = await ward.SignInAsync(clinician);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Alan Turing" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Alan Turing", Level = 1 })).ToBeVisibleAsync();
        var heartRate = tab.Page.Locator("#chart .strip[data-vital='heart-rate']");
        await Assertions.Expect(heartRate.Locator("canvas")).ToHaveCountAsync(1);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "7 days" }).ClickAsync();

        await Assertions.Expect(tab.Page.Locator("#chart-title")).ToContainTextAsync("7 days");
        await Assertions.Expect(heartRate.Locator("canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(heartRate).Not.ToHaveAttributeAsync("data-points", "0");
        var points = int.Parse(await heartRate.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(points, 160, 170); // one hourly mean per hour of the week
        await Assertions.Expect(heartRate.Locator("[role='img']")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Heart rate high limit \\d+"));
        await Assertions.Expect(tab.Page.Locator("#readings tr")).ToHaveCountAsync(7 * 24);
        await tab.ScreenshotAsync("patient-7-days");
        await tab.AssertAccessibleAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Nurse_CannotOpenAnotherTeamsPatient_NorSeeThemOnTheWard()
    {
        var ownTeam = await ward.AddCareTeamAsync("Own ward " + Guid.NewGuid().ToString("N")[..6]);
        var otherTeam = await ward.AddCareTeamAsync("Other ward " + Guid.NewGuid().ToString("N")[..6]);
        await ward.AddPatientAsync("Own Patient", ownTeam);
        var otherPatient = await ward.AddPatientAsync("Someone Else", otherTeam);
        var (_, nurse) = await ward.AddUserAsync("nurse", ownTeam);

        await using var tab = await ward.SignInAsync(nurse);
        await Assertions.Expect(tab.Page.Locator("li.tile")).ToContainTextAsync("Own Patient");
        await Assertions.Expect(tab.Page.Locator("li.tile", new() { HasText = "Someone Else" })).ToHaveCountAsync(0);

        await tab.Page.GotoAsync($"/console/patient.html?id={otherPatient}");

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not on your care teams");
        await Assertions.Expect(tab.Page.Locator("body")).Not.ToContainTextAsync("Someone Else");
    }

    [Fact]
    public async Task Clinician_ChangesAPatientsLimitsAndNews2Scale_InThePatientView_AndANurseMayOnlyReadThem()
    {
        var team = await ward.AddCareTeamAsync("COPD ward " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await ward.AddPatientAsync("Rosalind Franklin", team);
        var (deviceId, secret) = await ward.RegisterDeviceAsync(model: "Pulse oximeter");
        await ward.AssignAsync(deviceId, patientId, Now.AddDays(-1));
        using (var device = await ward.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(Now.AddMinutes(-1), 88)}]");
        }

        var (_, clinician) = await ward.AddUserAsync("clinician", team);
        await using (var tab = await ward.SignInAsync(clinician))
        {
            await tab.Page.GotoAsync($"/console/patient.html?id={patientId}");
            await tab.Page.GetByLabel("Heart rate: high limit").FillAsync("110");
            await tab.Page.GetByLabel("SpO2 scale").SelectOptionAsync("scale2");
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save alert settings" }).ClickAsync();
            await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Alert settings saved.");
            await Assertions.Expect(tab.Page.GetByLabel("Heart rate: high limit")).ToHaveValueAsync("110");
            await tab.Page.GetByLabel("New note").FillAsync("Limits lowered after review: resting rate runs low on bisoprolol.");
            await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Add note" }).ClickAsync();
            await Assertions.Expect(tab.Page.Locator("#notes")).ToContainTextAsync("Test clinician (clinician)");
            await Assertions.Expect(tab.Page.Locator("#notes")).ToContainTextAsync("resting rate runs low on bisoprolol");
            await tab.AssertAccessibleAsync();
            tab.AssertNoErrors();
        }

        using var careTeamApi = await ward.SignInPersonAsync("nurse", team);
        var settings = await careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/alert-settings", TestContext.Current.CancellationToken);
        Assert.Equal("scale2", settings.GetProperty("spO2Scale").GetString());
        var heartRate = settings.GetProperty("thresholds").EnumerateArray().Single(t => t.GetProperty("measure").GetString() == "heart-rate");
        Assert.Equal(110, heartRate.GetProperty("high").GetDouble());

        var (_, nurse) = await ward.AddUserAsync("nurse", team);
        await using var nurseTab = await ward.SignInAsync(nurse);
        await nurseTab.Page.GotoAsync($"/console/patient.html?id={patientId}");
        await Assertions.Expect(nurseTab.Page.GetByLabel("Heart rate: high limit")).ToBeDisabledAsync();
        await Assertions.Expect(nurseTab.Page.GetByLabel("Heart rate: high limit")).ToHaveValueAsync("110");
    }

    [Fact]
    public async Task OnATablet_TheWardFitsTheScreen_AndWorksFromTheKeyboard()
    {
        var team = await ward.AddCareTeamAsync("Tablet ward " + Guid.NewGuid().ToString("N")[..6]);
        await ward.AddPatientAsync("Edith Cavell", team);
        var (_, nurse) = await ward.AddUserAsync("nurse", team);

        await using var tab = await ward.SignInAsync(nurse, new ViewportSize { Width = 820, Height = 1180 });
        await Assertions.Expect(tab.Page.Locator("li.tile")).ToContainTextAsync("Edith Cavell");

        var overflow = await tab.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "the ward is wider than a tablet's screen");
        await tab.Page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Link, new() { Name = "Skip to the ward" })).ToBeFocusedAsync();
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Edith Cavell" }).FocusAsync();
        await tab.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Edith Cavell", Level = 1 })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("patient-tablet");
        await tab.AssertAccessibleAsync();
        tab.AssertNoErrors();
    }

    // A new team with one patient, and a clinician of the team on the alert inbox, connected for live alerts.
    private async Task<(string Team, string PatientId, ConsoleTab Tab)> AlertInboxAsync(string teamName, string patientName)
    {
        var team = await ward.AddCareTeamAsync(teamName + " " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await ward.AddPatientAsync(patientName, team);
        var (_, clinician) = await ward.AddUserAsync("clinician", team);
        var tab = await ward.SignInAsync(clinician);
        await tab.Page.GotoAsync("/console/alerts.html");
        await Assertions.Expect(tab.Page.Locator("body[data-live='connected']")).ToHaveCountAsync(1);
        return (team, patientId, tab);
    }

    // The patient's emergency button, pressed once: a critical alert at once.
    private async Task PressHelpButtonAsync(string patientId)
    {
        var (deviceId, secret) = await ward.RegisterDeviceAsync(model: "Emergency button");
        await ward.AssignAsync(deviceId, patientId, Now.AddDays(-1));
        using var device = await ward.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings",
            $$"""[{"vital":"emergency-call","time":"{{Publishing.Time(DateTimeOffset.UtcNow)}}","value":1,"unit":"{event}"}]""");
    }
}
