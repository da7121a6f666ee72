using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;

namespace OpenWard.Server.People;

/// <summary>
/// <c>/api/v1/me</c>: the signed-in person's own account, a password change, and enrolment of an authenticator app as
/// a second factor (<c>second-factor</c> starts it and shows the secret once; <c>…/confirm</c> with a
/// code from the app turns it on).
/// </summary>
public static class MeApi
{
    /// <summary>The secret to put into an authenticator app, and the same as an <c>otpauth://</c> URI for a QR code.</summary>
    public sealed record SecondFactorEnrolment(string Secret, string Uri);

    /// <summary>A code from the authenticator app.</summary>
    public sealed record SecondFactorCode(string? Code);

    /// <summary>A password change.</summary>
    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(AccessPolicies.Person).WithTags("People");
        me.MapGet("/", async Task<Results<Ok<UserAccount>, NotFound>> (ClaimsPrincipal user, UserDirectory users, CancellationToken ct) =>
            await users.FindAsync(Caller.From(user)!.Subject, ct) is { } account ? TypedResults.Ok(account) : TypedResults.NotFound());
        me.MapPost("/password", ChangePasswordAsync);
        me.MapPost("/second-factor", StartAsync);
        me.MapPost("/second-factor/confirm", ConfirmAsync);
        return app;
    }

    // A new password ends every session signed in with the old one, this one included: whoever knew the old password
    // must not stay signed in.
    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        PasswordChange request, ClaimsPrincipal user, UserDirectory users, IPersonSessions sessions, CancellationToken cancellationToken)
    {
        var userId = Caller.From(user)!.Subject;
        var outcome = await users.ChangePasswordAsync(userId, request.CurrentPassword ?? "", request.NewPassword ?? "", cancellationToken);
        if (outcome.Problem != Storage.ProblemKind.None)
        {
            return Api.OutcomeResults.Problem(outcome);
        }

        await sessions.EndAsync(userId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SecondFactorEnrolment>, NotFound>> StartAsync(
        ClaimsPrincipal user, UserDirectory users, CancellationToken cancellationToken)
    {
        var caller = Caller.From(user)!;
        var account = await users.FindAsync(caller.Subject, cancellationToken);
        var secret = account is null ? null : await users.StartSecondFactorAsync(account.Id, cancellationToken);
        return secret is null ? TypedResults.NotFound() : TypedResults.Ok(new SecondFactorEnrolment(secret, Totp.EnrolmentUri(secret, account!.UserName)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmAsync(
        SecondFactorCode request, ClaimsPrincipal user, UserDirectory users, CancellationToken cancellationToken) =>
        await users.ConfirmSecondFactorAsync(Caller.From(user)!.Subject, request.Code, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "the code does not match; check the app's clock and try the current code");
}
