using Microsoft.Playwright;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Console;

/// <summary>The patient portal in real Chromium: own readings in plain words, a reading added by hand, who looked at the record.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PatientPortalTests(BrowserWard ward) : IClassFixture<BrowserWard>
{
    [Fact]
    public async Task Patient_SeesTheirReadings_AddsABloodPressureByHand_AndSeesWhoLookedAtTheirRecord()
    {
        var team = "Hypertension clinic " + Guid.NewGuid().ToString("N")[..6];
        var teamId = await ward.AddCareTeamAsync(team);
        var patientId = await ward.AddPatientAsync("Mary Seacole", teamId);
        var (deviceId, secret) = await ward.RegisterDeviceAsync(model: "Pulse oximeter");
        await ward.AssignAsync(deviceId, patientId, DateTimeOffset.UtcNow.AddDays(-1));
        using var device = await ward.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-2), 131)}]");
        using var clinician = await ward.SignInPersonAsync("clinician", teamId);
        using var looked = await clinician.GetAsync($"/api/v1/patients/{patientId}/latest", TestContext.Current.CancellationToken);
        looked.EnsureSuccessStatusCode();
        var (_, nurse) = await ward.AddUserAsync("nurse", teamId);
        using var nurseApi = ward.WithToken((await PersonSignIn.SignInAsync(ward, nurse, RunningServer.TestPassword)).AccessToken);
        using var wardView = await nurseApi.GetAsync("/api/v1/ward", TestContext.Current.CancellationToken);
        wardView.EnsureSuccessStatusCode();
        using var elsewhere = await ward.SignInPersonAsync("clinician", await ward.AddCareTeamAsync("Renal ward " + Guid.NewGuid().ToString("N")[..6]));
        using var refused = await elsewhere.GetAsync($"/api/v1/patients/{patientId}/notes", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, refused.StatusCode);
        var (_, patient) = await ward.AddUserAsync("patient", patientId: patientId, confirmer: clinician);

        await using var tab = await ward.SignInAsync(patient);

        await Assertions.Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/portal\\.html$"));
        await Assertions.Expect(tab.Page.Locator("#latest [data-vital='heart-rate']"))
            .ToContainTextAsync("Pulse: 131 beats a minute");
        await Assertions.Expect(tab.Page.Locator("#latest [data-vital='heart-rate']"))
            .ToContainTextAsync("higher than the 120 your care team set as your upper limit");
        // One line per visit, in plain words; the other ward's refused look is no view, and is listed apart.
        await Assertions.Expect(tab.Page.Locator("#access tr", new() { HasText = "Test clinician" })).ToHaveCountAsync(1);
        await Assertions.Expect(tab.Page.Locator("#access tr", new() { HasText = "Test clinician" }))
            .ToContainTextAsync($"Test clinician (clinician, {team}) looked at your readings and confirmed a portal account for you.");
        await Assertions.Expect(tab.Page.Locator("#access tr", new() { HasText = "Test nurse" })).ToContainTextAsync($"Test nurse (nurse, {team}) looked at your readings.");
        await Assertions.Expect(tab.Page.Locator("#access")).Not.ToContainTextAsync("Renal ward");
        await Assertions.Expect(tab.Page.Locator("#refused tr")).ToContainTextAsync("Test clinician (clinician, Renal ward");
        await Assertions.Expect(tab.Page.Locator("#refused tr")).ToContainTextAsync("tried to look at your notes, refused.");

        await tab.Page.GetByLabel("What").SelectOptionAsync("blood-pressure");
        await tab.Page.GetByLabel("Upper number (systolic)").FillAsync("150");
        await tab.Page.GetByLabel("Lower number (diastolic)").FillAsync("95");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save reading" }).ClickAsync();

        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved: blood pressure 150/95 mmHg");
        await Assertions.Expect(tab.Page.Locator("#latest [data-vital='blood-pressure']")).ToContainTextAsync("150/95 mmHg");
        await Assertions.Expect(tab.Page.Locator("#week")).ToContainTextAsync("Blood pressure: averaged 150/95 mmHg over 1 reading");
        // The week as a small chart per vital sign, each saying in words what it shows.
        await Assertions.Expect(tab.Page.Locator("#week-charts figure[data-vital='heart-rate'] canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(tab.Page.Locator("#week-charts figure[data-vital='blood-pressure'] [role='img']"))
            .ToHaveAttributeAsync("aria-label", "Blood pressure: averaged 150/95 mmHg over 1 reading.");

        // Blood sugar is entered and shown in the deployment's unit, mmol/L by default (stored in mg/dL).
        await tab.Page.GetByLabel("What").SelectOptionAsync("blood-glucose");
        await Assertions.Expect(tab.Page.Locator("#unit")).ToHaveTextAsync("mmol/L");
        await tab.Page.GetByLabel("Value").FillAsync("5.4");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save reading" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved: blood sugar 5.4 mmol/L");
        await Assertions.Expect(tab.Page.Locator("#latest [data-vital='blood-glucose']")).ToContainTextAsync("Blood sugar: 5.4 mmol/L");
        await Assertions.Expect(tab.Page.Locator("#week-charts figure[data-vital='blood-glucose'] figcaption")).ToHaveTextAsync("Blood sugar (mmol/L), hourly averages");
        await tab.ScreenshotAsync("patient-portal");
        await tab.AssertAccessibleAsync();

        // An impossible value is refused with the reason, and nothing else is lost.
        await tab.Page.GetByLabel("What").SelectOptionAsync("heart-rate");
        await tab.Page.GetByLabel("Value").FillAsync("900");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Save reading" }).ClickAsync();
        await Assertions.Expect(tab.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Not saved:");
        await Assertions.Expect(tab.Page.Locator("#latest [data-vital='heart-rate']")).ToContainTextAsync("131");
        tab.AssertNoErrors(expected: "status of 422");
    }
}
