using System.Globalization;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Smart;
using IssueType = Hl7.Fhir.Model.OperationOutcome.IssueType;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// FHIR Bulk Data Access (IG v2): <c>GET /fhir/Group/{careTeamId}/$export</c> and
/// <c>GET /fhir/Patient/$export</c> start an export and answer 202 with its status URL
/// (<c>/fhir/bulk/{exportId}</c>); polling that URL answers 202 with <c>X-Progress</c> while it runs and
/// then 200 with the manifest; its files are downloaded under it (each with a token whose scopes allow its type); <c>DELETE</c> on it cancels the export
/// and deletes its files. Only the requester may poll, download or cancel: to anyone else an export
/// does not exist. <c>GET /fhir/Group/{careTeamId}</c> reads the care team as a FHIR Group.
/// </summary>
public static class BulkExportApi
{
    private const string NdjsonMediaType = "application/fhir+ndjson";

    /// <summary>Maps the bulk export endpoints.</summary>
    public static IEndpointRouteBuilder MapBulkExportApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir").RequireAuthorization(AccessPolicies.ExportClinicalData).WithTags("FHIR bulk export");
        fhir.MapGet("/Group/{careTeamId}/$export", ExportGroupAsync);
        fhir.MapGet("/Patient/$export", ExportPatientsAsync);
        fhir.MapGet("/Group/{careTeamId}", ReadGroupAsync);
        fhir.MapGet("/bulk/{exportId}", Status);
        fhir.MapDelete("/bulk/{exportId}", CancelAsync);
        fhir.MapGet("/bulk/{exportId}/{fileName}", Download);
        return app;
    }

    private static Task<IResult> ExportGroupAsync(
        string careTeamId, HttpContext context, ExportPermissions permissions, ExportJobs jobs, ExportRunner runner, CancellationToken cancellationToken) =>
        KickOffAsync(context, jobs, runner, async caller => (await permissions.GroupAsync(caller, careTeamId, cancellationToken))?.PatientIds);

    private static Task<IResult> ExportPatientsAsync(
        HttpContext context, ExportPermissions permissions, ExportJobs jobs, ExportRunner runner, CancellationToken cancellationToken) =>
        KickOffAsync(context, jobs, runner, async caller => await permissions.PatientsAsync(caller, cancellationToken));

    private static async Task<IResult> ReadGroupAsync(string careTeamId, HttpContext context, ExportPermissions permissions, CancellationToken cancellationToken)
    {
        if (!SmartScopes.MayRead(context.User, "Group"))
        {
            return Problem("this token's SMART scopes do not allow reading Group (system/Group.rs)", StatusCodes.Status403Forbidden, IssueType.Forbidden);
        }

        if (await permissions.GroupAsync(Caller.From(context.User)!, careTeamId, cancellationToken) is not { } group)
        {
            return NoSuchGroup();
        }

        return Fhir(CareTeamGroups.Json(group.Team, group.PatientIds), StatusCodes.Status200OK);
    }

    // Who may export what is settled before the request's parameters are read: the token's SMART scopes (a
    // client's; a person may read every type), then whose data (null: a group the caller may not see).
    private static async Task<IResult> KickOffAsync(
        HttpContext context, ExportJobs jobs, ExportRunner runner, Func<Caller, Task<IReadOnlyList<string>?>> patientsOf)
    {
        var caller = Caller.From(context.User)!;
        var allowed = runner.Types.Where(type => SmartScopes.MaySearch(context.User, type)).ToList();
        if (allowed.Count == 0)
        {
            return Problem($"this token's SMART scopes allow no type to be exported: ask for {string.Join(", ", runner.Types.Select(t => $"system/{t}.rs"))} or system/*.rs",
                StatusCodes.Status403Forbidden, IssueType.Forbidden);
        }

        if (await patientsOf(caller) is not { } patientIds)
        {
            return NoSuchGroup();
        }

        var (parameters, problem) = ExportParameters.Read(context.Request, runner.Types);
        if (parameters is null)
        {
            return Problem(problem!, StatusCodes.Status400BadRequest);
        }

        var types = parameters.Types ?? allowed;
        if (types.FirstOrDefault(type => !allowed.Contains(type, StringComparer.Ordinal)) is { } refused)
        {
            return Problem($"this token's SMART scopes do not allow exporting {refused} (system/{refused}.rs)", StatusCodes.Status403Forbidden, IssueType.Forbidden);
        }

        return Start(context, jobs, caller, types, parameters.Since, patientIds);
    }

    private static IResult Start(HttpContext context, ExportJobs jobs, Caller caller, IReadOnlyList<string> types, DateTimeOffset? since, IReadOnlyList<string> patientIds)
    {
        var request = context.Request;
        var job = jobs.Start(caller.AuditName, $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}", types,
            new ExportScope { PatientIds = patientIds, Since = since });
        if (job is null)
        {
            context.Response.Headers.RetryAfter = "60";
            return Problem("as many exports as this server runs at once are running; ask again later", StatusCodes.Status429TooManyRequests,
                IssueType.Throttled);
        }

        context.Response.Headers.ContentLocation = StatusUrl(request, job.Id);
        return TypedResults.Accepted((string?)null);
    }

    private static IResult Status(string exportId, HttpContext context, ExportJobs jobs)
    {
        if (Find(context, jobs, exportId) is not { } job)
        {
            return NoSuchExport();
        }

        switch (job.State)
        {
            case ExportState.Running:
                context.Response.Headers["X-Progress"] = job.Progress;
                context.Response.Headers.RetryAfter = "1";
                return TypedResults.StatusCode(StatusCodes.Status202Accepted);
            case ExportState.Failed:
                return Problem(job.Failure!, StatusCodes.Status500InternalServerError, IssueType.Exception);
            default:
                context.Response.Headers.Expires = jobs.ExpiresAt(job)!.Value.ToString("R", CultureInfo.InvariantCulture);
                return TypedResults.Json(ExportManifest.Of(job, StatusUrl(context.Request, job.Id)));
        }
    }

    private static async Task<IResult> CancelAsync(string exportId, HttpContext context, ExportJobs jobs)
    {
        if (Find(context, jobs, exportId) is not { } job)
        {
            return NoSuchExport();
        }

        await jobs.CancelAsync(job);
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    private static IResult Download(string exportId, string fileName, HttpContext context, ExportJobs jobs)
    {
        if (Find(context, jobs, exportId) is not { State: ExportState.Completed } job || job.Outputs.FirstOrDefault(o => o.FileName == fileName) is not { } output)
        {
            return Problem("no such file: the export is unknown to you, not complete, expired or cancelled, or has no file of that name", StatusCodes.Status404NotFound,
                IssueType.NotFound);
        }

        // A file is downloaded with the same authorisation it was exported with: a token since narrowed to other types may not read it.
        if (!SmartScopes.MaySearch(context.User, output.Type))
        {
            return Problem($"this token's SMART scopes do not allow reading the {output.Type} file (system/{output.Type}.rs)", StatusCodes.Status403Forbidden,
                IssueType.Forbidden);
        }

        // Opened here, so that a sweep deleting the file while it is sent does not cut the download short.
        var file = File.OpenRead(Path.Combine(job.Folder, output.FileName));
        return TypedResults.Stream(file, NdjsonMediaType, output.FileName);
    }

    private static ExportJob? Find(HttpContext context, ExportJobs jobs, string exportId) => jobs.Find(exportId, Caller.From(context.User)!.AuditName);

    private static string StatusUrl(HttpRequest request, string exportId) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir/bulk/{exportId}";

    private static IResult NoSuchGroup() =>
        Problem("no such Group: the care team does not exist or you are not on it", StatusCodes.Status404NotFound, IssueType.NotFound);

    private static IResult NoSuchExport() =>
        Problem("no such export: it is unknown to you, has expired or was cancelled", StatusCodes.Status404NotFound, IssueType.NotFound);

    private static IResult Problem(string reason, int status, IssueType type = IssueType.Invalid) =>
        Fhir(FhirResponses.Outcome([reason], type), status);

    private static IResult Fhir(string json, int status) => Results.Text(json, FhirResponses.MediaType, System.Text.Encoding.UTF8, status);
}
