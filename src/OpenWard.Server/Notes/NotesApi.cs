using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;
using OpenWard.Server.Patients;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Notes;

/// <summary>
/// <c>/api/v1/patients/{patientId}/notes</c>: the patient's clinical notes — read by whoever may
/// read the patient's record (the patient included), written by the clinicians and nurses of their care team.
/// </summary>
public static class NotesApi
{
    /// <summary>A note to add.</summary>
    public sealed record NewNote(string? Text);

    /// <summary>Maps the notes endpoints.</summary>
    public static IEndpointRouteBuilder MapNotesApi(this IEndpointRouteBuilder app)
    {
        var notes = app.MapGroup("/api/v1/patients/{patientId}/notes").RequirePatientAccess().WithTags("Patients");
        notes.MapGet("/", ListAsync).RequireAuthorization(AccessPolicies.ReadClinicalData);
        notes.MapPost("/", AddAsync).RequireAuthorization(AccessPolicies.WriteNotes);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ClinicalNote>>, NotFound>> ListAsync(
        string patientId, int? limit, PatientRegistry patients, ClinicalNotes notes, CancellationToken cancellationToken) =>
        await patients.ExistsAsync(patientId, cancellationToken)
            ? TypedResults.Ok(await notes.ListAsync(patientId, Math.Clamp(limit ?? 100, 1, 1000), cancellationToken))
            : TypedResults.NotFound();

    private static async Task<Results<Created<ClinicalNote>, ProblemHttpResult, NotFound>> AddAsync(
        string patientId, NewNote request, ClaimsPrincipal user, PatientRegistry patients, ClinicalNotes notes, CancellationToken cancellationToken)
    {
        if (!await patients.ExistsAsync(patientId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var text = request.Text?.Trim() ?? "";
        if (text.Length is 0 or > ClinicalNotes.MaxLength)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: $"a note is 1 to {ClinicalNotes.MaxLength:N0} characters");
        }

        var note = await notes.AddAsync(patientId, Caller.From(user)!.AuditName, text, cancellationToken);
        return TypedResults.Created($"/api/v1/patients/{patientId}/notes", note);
    }
}
