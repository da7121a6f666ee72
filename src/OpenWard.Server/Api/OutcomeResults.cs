using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Api;

/// <summary>Turns a refused <see cref="Outcome{T}"/> into the matching HTTP problem.</summary>
public static class OutcomeResults
{
    /// <summary>404, 409 or 400 with the reason as the problem's detail.</summary>
    public static ProblemHttpResult Problem<T>(Outcome<T> outcome) => TypedResults.Problem(
        detail: outcome.Reason,
        statusCode: outcome.Problem switch
        {
            ProblemKind.NotFound => StatusCodes.Status404NotFound,
            ProblemKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        });
}
