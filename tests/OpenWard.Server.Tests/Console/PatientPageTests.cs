using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Console;

/// <summary>
/// The patient page and the alert inbox as a nurse uses them, in real Chromium against the real server: the page opens on
/// what is alerting, "Now" sums up the observations, NEWS2 and its clinical response and the open alerts (acknowledged
/// there and then), the observation chart stacks the vital signs on one time axis with NEWS2's bands, and the inbox shows
/// each alert's current value and the time it was raised, with a comment box that says what it is for.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PatientPageTests(BrowserWard ward) : IClassFixture<BrowserWard>
{
    [Fact]
    public async Task Nurse_OpensAPatient_OnTheAlertingVitalSign_AndAcknowledgesItsAlertFromTheSummary()
    {
        var (api, alert, nurse) = await LowSaturationAlertAsync("Respiratory virtual ward", "Mary Seacole");
        using var careTeamApi = api;
        await using var tab = await ward.SignInAsync(nurse);
        await tab.Page.GetByRole(AriaRole.Link, new() { Name = "Mary Seacole" }).ClickAsync();

        // Opened on oxygen saturation, not on the alphabetically first heart rate.
        await Assertions.Expect(tab.Page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(tab.Page.GetByLabel("Readings and limits of")).ToHaveValueAsync("spo2");
        await Assertions.Expect(tab.Page.Locator("#readings-title")).ToContainTextAsync("Oxygen saturation");
        var strip = tab.Page.Locator("#chart .strip[data-vital='spo2']");
        await Assertions.Expect(strip).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("alerting.*selected"));
        await Assertions.Expect(strip.Locator("h3")).ToContainTextAsync("— alerting");
        await Assertions.Expect(tab.Page.GetByLabel("Oxygen saturation (SpO2): low limit")).ToBeVisibleAsync();

        // "Now": the latest values with their age and NEWS2 band; the open alert with the time it was raised.
        var now = tab.Page.GetByRole(AriaRole.Region, new() { Name = "Now" });
        await Assertions.Expect(now.Locator("tr[data-vital='spo2']")).ToContainTextAsync("80 %");
        await Assertions.Expect(now.Locator("tr[data-vital='spo2'] .band")).ToHaveTextAsync("3");
        await Assertions.Expect(now.Locator("tr[data-vital='heart-rate']")).ToContainTextAsync("72 /min");
        await Assertions.Expect(now.Locator("tr[data-vital='heart-rate'] .band")).ToHaveTextAsync("0");
        await Assertions.Expect(now.Locator("#now-news2")).ToContainTextAsync("No complete NEWS2 yet");
        var open = now.Locator($"li[data-alert='{alert.Id}']");
        await Assertions.Expect(open).ToContainTextAsync("critical");
        await Assertions.Expect(open.Locator("time")).ToHaveAttributeAsync("datetime", alert.RaisedAt);
        await Assertions.Expect(open.Locator("time")).ToContainTextAsync(RaisedClock(alert.RaisedAt));

        // The NEWS2 parameters stacked on one time axis, each with its bands described.
        await Assertions.Expect(tab.Page.Locator("#chart .strip")).ToHaveCountAsync(5);
        Assert.Equal(["respiratory-rate", "spo2", "blood-pressure", "heart-rate", "body-temperature"],
            await tab.Page.Locator("#chart .strip").EvaluateAllAsync<string[]>("strips => strips.map(s => s.dataset.vital)"));
        await Assertions.Expect(tab.Page.Locator("#chart .strip canvas")).ToHaveCountAsync(5);
        await Assertions.Expect(strip.Locator("[role='img']")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("NEWS2 bands of SpO2: ≤91 scores 3, 92–93 scores 2"));
        await tab.ScreenshotAsync("patient-now");
        await tab.AssertAccessibleAsync();

        await open.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Alert acknowledged.");
        await Assertions.Expect(now.Locator($"li[data-alert='{alert.Id}'][data-state='acknowledged']")).ToHaveCountAsync(1);
        await Assertions.Expect(now.Locator($"li[data-alert='{alert.Id}']").GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        var stored = await careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alert.Id}", TestContext.Current.CancellationToken);
        Assert.Equal("acknowledged", stored.GetProperty("state").GetString());
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task Nurse_SeesTheNews2ScoreAndItsClinicalResponse_AtTheTopOfThePatient()
    {
        var team = await ward.AddCareTeamAsync("Hospital at home " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await ward.AddPatientAsync("Elizabeth Fry", team);
        var time = Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-5));
        // 2 + 1 + 1 + 1 + 2 (and 0 for air and alert) = 7: high.
        await PublishAsync(patientId, $$"""
            [{"vital":"respiratory-rate","time":"{{time}}","value":22,"unit":"/min"},
             {"vital":"spo2","time":"{{time}}","value":95,"unit":"%"},
             {"vital":"blood-pressure","time":"{{time}}","components":{"systolic":105,"diastolic":70},"unit":"mm[Hg]"},
             {"vital":"body-temperature","time":"{{time}}","value":38.5,"unit":"Cel"},
             {"vital":"heart-rate","time":"{{time}}","value":115,"unit":"/min"}]
            """);
        using var careTeamApi = await ward.SignInPersonAsync("clinician", team);
        await Eventually.MatchAsync(() => careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/patients/{patientId}/news2"),
            history => history.GetArrayLength() > 0, "a NEWS2 score for the patient");
        var (_, nurse) = await ward.AddUserAsync("nurse", team);

        await using var tab = await ward.SignInAsync(nurse);
        await tab.Page.GotoAsync($"/console/patient.html?id={patientId}");

        var now = tab.Page.GetByRole(AriaRole.Region, new() { Name = "Now" });
        await Assertions.Expect(now.Locator("#now-news2 .badge")).ToHaveTextAsync("NEWS2 7 · High");
        await Assertions.Expect(now.Locator("#now-news2 .response")).ToContainTextAsync("urgent or emergency response");
        await Assertions.Expect(now.Locator("tr[data-vital='blood-pressure']")).ToContainTextAsync("105/70 mmHg");
        await Assertions.Expect(now.Locator("tr[data-vital='blood-pressure'] .band")).ToHaveTextAsync("1");
        await Assertions.Expect(now.Locator("tr[data-vital='body-temperature'] .band")).ToHaveTextAsync("1");
        await Assertions.Expect(now.Locator("tr", new() { HasText = "Air or oxygen" })).ToContainTextAsync("air");
        await Assertions.Expect(tab.Page.Locator("#chart .strip[data-vital='blood-pressure'] canvas")).ToHaveCountAsync(1);
        await tab.AssertAccessibleAsync();
        tab.AssertNoErrors();
    }

    [Fact]
    public async Task TheAlertInbox_ShowsTheCurrentValue_TheTimeRaised_AndAComment_BoxThatSaysWhatItIsFor()
    {
        var (api, alert, nurse) = await LowSaturationAlertAsync("Community ward", "Clara Barton");
        using var careTeamApi = api;
        await using var tab = await ward.SignInAsync(nurse);
        await tab.Page.GotoAsync("/console/alerts.html");

        var row = tab.Page.Locator($"tr[data-alert='{alert.Id}']");
        await Assertions.Expect(row.Locator("[data-current]")).ToContainTextAsync("Oxygen saturation (SpO2) 80 %");
        await Assertions.Expect(row.Locator("time")).ToHaveAttributeAsync("datetime", alert.RaisedAt);
        await Assertions.Expect(row.Locator("time")).ToContainTextAsync(RaisedClock(alert.RaisedAt));
        var comment = row.GetByLabel("Comment for the alert's timeline");
        await Assertions.Expect(comment).ToBeVisibleAsync();
        await tab.AssertAccessibleAsync();

        await comment.FillAsync("Probe re-sited; patient resting");
        await row.GetByRole(AriaRole.Button, new() { Name = "Add comment" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Alert commented on.");
        var stored = await careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{alert.Id}", TestContext.Current.CancellationToken);
        var commented = stored.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "commented");
        Assert.Equal("Probe re-sited; patient resting", commented.GetProperty("detail").GetString());
        Assert.Equal("raised", stored.GetProperty("state").GetString());
        await tab.ScreenshotAsync("alert-inbox-values");
        tab.AssertNoErrors();
    }

    // Six minutes of a wearable's once-a-minute saturation at 80 % (a critical low that has lasted), and a heart rate of 72.
    private static string LowSaturation(DateTimeOffset now) =>
        "[" + string.Join(",", Enumerable.Range(0, 7).Select(m =>
            $$"""{"vital":"spo2","time":"{{Publishing.Time(now.AddMinutes(-6 + m))}}","value":80,"unit":"%"}""")) + "," + Publishing.HeartRate(now, 72) + "]";

    // A patient of a new team whose saturation has been critically low, the open alert it raised, and a nurse of the team.
    private async Task<(HttpClient CareTeamApi, (string Id, string RaisedAt) Alert, string Nurse)> LowSaturationAlertAsync(string teamName, string patientName)
    {
        var team = await ward.AddCareTeamAsync(teamName + " " + Guid.NewGuid().ToString("N")[..6]);
        var patientId = await ward.AddPatientAsync(patientName, team);
        await PublishAsync(patientId, LowSaturation(DateTimeOffset.UtcNow));
        var careTeamApi = await ward.SignInPersonAsync("clinician", team);
        var alert = await OpenAlertAsync(careTeamApi, patientId, "threshold:spo2:low");
        var (_, nurse) = await ward.AddUserAsync("nurse", team);
        return (careTeamApi, alert, nurse);
    }

    private async Task PublishAsync(string patientId, string readings)
    {
        var (deviceId, secret) = await ward.RegisterDeviceAsync(model: "Pulse oximeter");
        await ward.AssignAsync(deviceId, patientId, DateTimeOffset.UtcNow.AddDays(-1));
        using var device = await ward.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", readings);
    }

    private static async Task<(string Id, string RaisedAt)> OpenAlertAsync(HttpClient careTeamApi, string patientId, string condition)
    {
        var alerts = await Eventually.MatchAsync(() => careTeamApi.GetFromJsonAsync<JsonElement>($"/api/v1/alerts?patientId={patientId}"),
            all => all.EnumerateArray().Any(a => a.GetProperty("condition").GetString() == condition), $"a {condition} alert");
        var alert = alerts.EnumerateArray().First(a => a.GetProperty("condition").GetString() == condition);
        return (alert.GetProperty("id").GetString()!, alert.GetProperty("raisedAt").GetString()!);
    }

    // The raised time's hours and minutes as the console shows them (the browser runs in UTC).
    private static string RaisedClock(string raisedAt) =>
        DateTimeOffset.Parse(raisedAt, CultureInfo.InvariantCulture).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
}
