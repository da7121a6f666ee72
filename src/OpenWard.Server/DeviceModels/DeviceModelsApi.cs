using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;

namespace OpenWard.Server.DeviceModels;

/// <summary>
/// <c>/api/v1/device-models/{model}/mapping</c>: read and set the mapping templates of a device
/// model that sends its own JSON. Templates are checked before they are accepted; a refusal lists
/// every error with its line.
/// </summary>
public static class DeviceModelsApi
{
    /// <summary>A model's templates: the device mapping (CollectionContent) and FHIR mapping (CollectionFhir) as JSON.</summary>
    public sealed record MappingTemplates(JsonElement? DeviceMapping, JsonElement? FhirMapping);

    /// <summary>What a model's stored mapping makes of its messages.</summary>
    public sealed record MappingSummary(string Model, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, string?> Types, IReadOnlyList<string> Warnings);

    /// <summary>Maps the device-model endpoints.</summary>
    public static IEndpointRouteBuilder MapDeviceModelsApi(this IEndpointRouteBuilder app)
    {
        var models = app.MapGroup("/api/v1/device-models").RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Devices");
        models.MapGet("/{model}/mapping", ReadAsync);
        models.MapPut("/{model}/mapping", SetAsync);
        return app;
    }

    private static async Task<Results<ContentHttpResult, NotFound>> ReadAsync(string model, DeviceModelMappings mappings, CancellationToken cancellationToken)
    {
        if (await mappings.ReadAsync(model, cancellationToken) is not var (device, fhir, updatedAt))
        {
            return TypedResults.NotFound();
        }

        var json = JsonSerializer.Serialize(new
        {
            model,
            updatedAt,
            deviceMapping = JsonDocument.Parse(device).RootElement,
            fhirMapping = JsonDocument.Parse(fhir).RootElement,
        });
        return TypedResults.Content(json, "application/json");
    }

    private static async Task<Results<Ok<MappingSummary>, ValidationProblem>> SetAsync(
        string model, MappingTemplates request, DeviceModelMappings mappings, CancellationToken cancellationToken)
    {
        if (request.DeviceMapping is not { } device || request.FhirMapping is not { } fhir)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["mapping"] = ["both deviceMapping (CollectionContent) and fhirMapping (CollectionFhir) are required"],
            });
        }

        var update = await mappings.SetAsync(model, device.GetRawText(), fhir.GetRawText(), cancellationToken);
        if (update.Stored is not { } stored)
        {
            var errors = new Dictionary<string, string[]>();
            if (update.DeviceMappingErrors.Count > 0)
            {
                errors["deviceMapping"] = update.DeviceMappingErrors.Select(e => e.ToString()).ToArray();
            }

            if (update.FhirMappingErrors.Count > 0)
            {
                errors["fhirMapping"] = update.FhirMappingErrors.Select(e => e.ToString()).ToArray();
            }

            return TypedResults.ValidationProblem(errors, title: "The mapping templates have errors");
        }

        return TypedResults.Ok(new MappingSummary(model, stored.UpdatedAt, stored.Fhir.Types, update.Warnings));
    }
}
