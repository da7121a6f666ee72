using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Hl7;

/// <summary>
/// <c>/api/v1/hl7-senders</c>: administrators register the interface engines and gateways allowed
/// to send HL7 v2 over MLLP — each with its client certificate and the devices or care teams it
/// may submit readings for — change them, and revoke them.
/// </summary>
public static class Hl7SendersApi
{
    /// <summary>A sender to register.</summary>
    public sealed record NewHl7Sender(string? Name, string? CertificatePem, IReadOnlyList<string>? Devices, IReadOnlyList<string>? CareTeams);

    /// <summary>Maps the HL7 sender endpoints.</summary>
    public static IEndpointRouteBuilder MapHl7SendersApi(this IEndpointRouteBuilder app)
    {
        var senders = app.MapGroup("/api/v1/hl7-senders").RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Devices");
        senders.MapGet("/", (Hl7SenderRegistry registry) => TypedResults.Ok(registry.List()));
        senders.MapPost("/", AddAsync);
        senders.MapPatch("/{name}", ChangeAsync);
        senders.MapPost("/{name}/revoke", RevokeAsync);
        return app;
    }

    private static async Task<Results<Created<Hl7Sender>, ProblemHttpResult>> AddAsync(
        NewHl7Sender request, Hl7SenderRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.AddAsync(request.Name ?? "", new(request.CertificatePem, request.Devices, request.CareTeams), cancellationToken);
        return outcome.Problem == ProblemKind.None
            ? TypedResults.Created($"/api/v1/hl7-senders/{outcome.Value!.Name}", outcome.Value)
            : OutcomeResults.Problem(outcome);
    }

    private static async Task<Results<Ok<Hl7Sender>, ProblemHttpResult>> ChangeAsync(
        string name, Hl7SenderRegistry.Registration request, Hl7SenderRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.ChangeAsync(name, request, cancellationToken);
        return outcome.Problem == ProblemKind.None ? TypedResults.Ok(outcome.Value!) : OutcomeResults.Problem(outcome);
    }

    private static async Task<Results<Ok<Hl7Sender>, ProblemHttpResult>> RevokeAsync(
        string name, Hl7SenderRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.RevokeAsync(name, cancellationToken);
        return outcome.Problem == ProblemKind.None ? TypedResults.Ok(outcome.Value!) : OutcomeResults.Problem(outcome);
    }
}
