using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;

namespace OpenWard.Server.People;

/// <summary>
/// <c>POST /api/v1/patients/{patientId}/portal-accounts/{userId}/confirm</c>: a clinician or nurse of the
/// patient's care team confirms that a portal account an administrator made for the patient is really
/// theirs. Until then the account opens nothing of the record, so that making a patient account is
/// not a way for an administrator to read a patient's record.
/// </summary>
public static class PortalAccountsApi
{
    /// <summary>Maps the endpoint.</summary>
    public static IEndpointRouteBuilder MapPortalAccountsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/patients/{patientId}/portal-accounts/{userId}/confirm", ConfirmAsync)
            .RequireAuthorization(AccessPolicies.ConfirmPortalAccounts)
            .RequirePatientAccess()
            .WithTags("Patients");
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmAsync(
        string patientId, string userId, ClaimsPrincipal user, UserDirectory users, CancellationToken cancellationToken) =>
        await users.ConfirmPortalAccountAsync(patientId, userId, Caller.From(user)!.Subject, cancellationToken) switch
        {
            PortalAccountConfirmation.Confirmed => TypedResults.NoContent(),
            PortalAccountConfirmation.NotOnCareTeam => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: "only a clinician or nurse of the patient's care team may confirm their portal account"),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                detail: "no portal account of this patient awaits confirmation under that id (it may be confirmed already)"),
        };
}
