using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.Alerting;
using OpenWard.Core.Alerts;
using OpenWard.Core.Scores;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.Patients;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>
/// <c>/api/v1/alerts</c>: list and read alerts, acknowledge, resolve and comment; and per patient,
/// <c>alert-settings</c> (limits, NEWS2 scale, oxygen, consciousness), the <c>thresholds</c> in force
/// and the <c>news2</c> history.
/// </summary>
public static class AlertsApi
{
    /// <summary>A clinician's note on an acknowledgement.</summary>
    public sealed record AlertNote(string? Note);

    /// <summary>A clinician's resolution: a note saying why, and whether the alert was actionable.</summary>
    public sealed record AlertResolution(string? Note, bool? Actionable);

    // The longest period alert quality is counted over, and the one used when none is given.
    private static readonly TimeSpan LongestQualityPeriod = TimeSpan.FromDays(366);
    private static readonly TimeSpan DefaultQualityPeriod = TimeSpan.FromDays(7);

    /// <summary>A comment on an alert.</summary>
    public sealed record AlertComment(string? Text);

    /// <summary>Maps the alert endpoints.</summary>
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/v1/alerts").WithTags("Alerts");
        alerts.MapGet("/", ListAsync).RequireAuthorization(AccessPolicies.ReadClinicalData).RequireClinicalRelationship();
        alerts.MapGet("/quality", QualityAsync).RequireAuthorization(AccessPolicies.ReadClinicalData).RequireClinicalRelationship();
        var alert = alerts.MapGroup("/{alertId}").RequireAlertAccess();
        alert.MapGet("/", FindAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        alert.MapGet("/deliveries", DeliveriesAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        alert.MapPost("/acknowledge", AcknowledgeAsync).RequireAuthorization(AccessPolicies.ActOnAlerts);
        alert.MapPost("/resolve", ResolveAsync).RequireAuthorization(AccessPolicies.ActOnAlerts);
        alert.MapPost("/comments", CommentAsync).RequireAuthorization(AccessPolicies.ActOnAlerts);

        var patients = app.MapGroup("/api/v1/patients/{patientId}").WithTags("Alerts").RequirePatientAccess();
        patients.MapGet("/alert-settings", ReadSettingsAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        patients.MapPut("/alert-settings", WriteSettingsAsync).RequireAuthorization(AccessPolicies.SetAlertSettings);
        patients.MapGet("/thresholds", ThresholdsAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        patients.MapGet("/news2", News2Async).RequireAuthorization(AccessPolicies.ReadClinicalData);
        patients.MapGet("/news2/bands", News2BandsAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        // A connection outlives the token it was opened with unless told otherwise; a 15-minute token then means 15 minutes.
        app.MapHub<AlertsHub>(AlertsHub.Path, hub => hub.CloseOnAuthenticationExpiration = true);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<Alert>>, ValidationProblem>> ListAsync(
        string? state, string? patientId, string? severity, int? limit, ClaimsPrincipal user, PatientAccess access, AlertStore store,
        CancellationToken cancellationToken)
    {
        if (state is not (null or "active" or "all") && !AlertNames.IsState(state))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = ["state is active, raised, acknowledged, resolved or all"] });
        }

        AlertSeverity? minimum = null;
        if (severity is not null)
        {
            if (!Enum.TryParse<AlertSeverity>(severity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(severity, out _))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["severity"] = ["severity is warning, urgent or critical"] });
            }

            minimum = parsed;
        }

        var visible = await access.VisiblePatientsAsync(user, cancellationToken);
        return TypedResults.Ok(await store.ListAsync(new AlertQuery(state, patientId, minimum, Math.Clamp(limit ?? 200, 1, 1000), visible), cancellationToken));
    }

    // With its timeline, each person named, so that clinicians read who acknowledged or commented.
    private static async Task<Results<Ok<Alert>, NotFound>> FindAsync(
        string alertId, AlertStore store, People.UserDirectory users, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(alertId, withEvents: true, cancellationToken) is not { } alert)
        {
            return TypedResults.NotFound();
        }

        // Each person looked up once, however many steps they took.
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var actor in (alert.Events ?? []).Select(e => e.Actor).Distinct(StringComparer.Ordinal).Where(a => a.StartsWith("user:", StringComparison.Ordinal)))
        {
            names[actor] = (await users.FindAsync(actor["user:".Length..], cancellationToken))?.DisplayName;
        }

        return TypedResults.Ok(alert with { Events = [.. (alert.Events ?? []).Select(e => e with { ActorName = names.GetValueOrDefault(e.Actor) })] });
    }

    private static async Task<Results<Ok<Alert>, ProblemHttpResult>> AcknowledgeAsync(
        string alertId, AlertNote? request, ClaimsPrincipal user, AlertStore store, AlertNotifier notifier, CancellationToken cancellationToken) =>
        await Delivered(AlertChange.Acknowledged, await store.AcknowledgeAsync(alertId, Actor(user), request?.Note, cancellationToken), notifier, cancellationToken);

    // Only people (clinicians and nurses) resolve through the API, so every resolution here is labelled;
    // OpenWard's own resolutions, when a condition clears, stay unlabelled.
    private static async Task<Results<Ok<Alert>, ProblemHttpResult, ValidationProblem>> ResolveAsync(
        string alertId, AlertResolution request, ClaimsPrincipal user, AlertStore store, AlertNotifier notifier, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Note))
        {
            problems["note"] = ["a note saying why the alert is resolved is required"];
        }

        if (request.Actionable is null)
        {
            problems["actionable"] = ["say whether the alert was actionable: true or false"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var outcome = await store.ResolveAsync(alertId, Actor(user), request.Note!.Trim(), request.Actionable!.Value, cancellationToken);
        return (await Delivered(AlertChange.Resolved, outcome, notifier, cancellationToken)).Result switch
        {
            Ok<Alert> resolved => resolved,
            var refused => (ProblemHttpResult)refused,
        };
    }

    // Over the alerts raised in the period for the patients the caller may see.
    private static async Task<Results<Ok<AlertQuality>, ValidationProblem>> QualityAsync(
        string? from, string? to, ClaimsPrincipal user, PatientAccess access, AlertStore store, Devices.DeviceDirectory devices, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string[]>();
        var end = Time(to, "to", problems) ?? clock.GetUtcNow();
        var start = Time(from, "from", problems) ?? end - DefaultQualityPeriod;
        if (problems.Count == 0 && start >= end)
        {
            problems["from"] = ["from must be before to"];
        }
        else if (problems.Count == 0 && end - start > LongestQualityPeriod)
        {
            problems["from"] = ["the period is at most 366 days"];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var visible = await access.VisiblePatientsAsync(user, cancellationToken);
        var tallies = await store.TallyRaisedAsync(start, end, visible, cancellationToken);
        return TypedResults.Ok(AlertQuality.Of(start, end, visible.Count, tallies, devices.Knows));
    }

    private static DateTimeOffset? Time(string? text, string name, Dictionary<string, string[]> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUniversalTime();
        }

        problems[name] = [$"{name} is an ISO 8601 time, e.g. 2026-12-01T00:00:00Z"];
        return null;
    }

    private static async Task<Results<Ok<Alert>, ProblemHttpResult>> CommentAsync(
        string alertId, AlertComment request, ClaimsPrincipal user, AlertStore store, AlertNotifier notifier, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > 2000)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "a comment is 1 to 2,000 characters");
        }

        return await Delivered(AlertChange.Commented, await store.CommentAsync(alertId, Actor(user), request.Text.Trim(), cancellationToken), notifier, cancellationToken);
    }

    private static async Task<Results<Ok<PatientAlertSettings>, NotFound>> ReadSettingsAsync(
        string patientId, PatientRegistry patients, AlertSettingsStore settings, CancellationToken cancellationToken) =>
        await patients.ExistsAsync(patientId, cancellationToken)
            ? TypedResults.Ok(await settings.ReadAsync(patientId, cancellationToken))
            : TypedResults.NotFound();

    // The limits in force for each measure: the patient's own where a clinician set them, the defaults elsewhere (for charts).
    private static async Task<Results<Ok<IReadOnlyList<ThresholdBands>>, NotFound>> ThresholdsAsync(
        string patientId, PatientRegistry patients, AlertSettingsStore settings, CancellationToken cancellationToken)
    {
        if (!await patients.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var own = await settings.ReadAsync(patientId, cancellationToken);
        var measures = ThresholdDefaults.All.Select(b => b.Measure).Union(own.Thresholds.Select(b => b.Measure));
        return TypedResults.Ok<IReadOnlyList<ThresholdBands>>([.. measures.Select(own.BandsFor).OfType<ThresholdBands>()]);
    }

    private static async Task<Results<Ok<PatientAlertSettings>, NotFound, ValidationProblem>> WriteSettingsAsync(
        string patientId, PatientAlertSettings request, ClaimsPrincipal user, PatientRegistry patients, AlertSettingsStore settings,
        IAlertSettingsListener monitoring, CancellationToken cancellationToken)
    {
        if (!await patients.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var problems = AlertSettingsValidation.Problems(request);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["thresholds"] = [.. problems] });
        }

        await settings.WriteAsync(patientId, request, Actor(user), cancellationToken);
        await monitoring.SettingsChangedAsync(patientId);
        return TypedResults.Ok(request);
    }

    private static async Task<Results<Ok<IReadOnlyList<News2Record>>, NotFound>> News2Async(
        string patientId, DateTimeOffset? from, int? limit, PatientRegistry patients, News2History history, CancellationToken cancellationToken) =>
        await patients.ExistsAsync(patientId, cancellationToken)
            ? TypedResults.Ok(await history.ReadAsync(patientId, from ?? DateTimeOffset.UnixEpoch, Math.Clamp(limit ?? 500, 1, 5000), cancellationToken))
            : TypedResults.NotFound();

    // The bands each NEWS2 parameter is scored by, with the patient's SpO2 scale and oxygen (for charts to shade).
    private static async Task<Results<Ok<News2Bands>, NotFound>> News2BandsAsync(
        string patientId, PatientRegistry patients, AlertSettingsStore settings, CancellationToken cancellationToken)
    {
        if (!await patients.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var own = await settings.ReadAsync(patientId, cancellationToken);
        return TypedResults.Ok(new News2Bands(own.SpO2Scale, own.OnOxygen, News2.Chart(own.SpO2Scale, own.OnOxygen)));
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertDelivery>>, NotFound>> DeliveriesAsync(
        string alertId, AlertStore store, DeliveryQueue deliveries, CancellationToken cancellationToken) =>
        await store.FindAsync(alertId, withEvents: false, cancellationToken) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await deliveries.ForAlertAsync(alertId, cancellationToken));

    private static async Task<Results<Ok<Alert>, ProblemHttpResult>> Delivered(AlertChange change, Outcome<Alert> outcome, AlertNotifier notifier, CancellationToken cancellationToken)
    {
        if (outcome.Problem != ProblemKind.None)
        {
            return OutcomeResults.Problem(outcome);
        }

        await notifier.NotifyAsync(new AlertNotice(AlertNames.Of(change), outcome.Value! with { Events = null }), cancellationToken);
        return TypedResults.Ok(outcome.Value!);
    }

    /// <summary>Who acted: the signed-in client (users, once they exist).</summary>
    private static string Actor(ClaimsPrincipal user) => Caller.From(user)?.AuditName ?? "unknown";
}
