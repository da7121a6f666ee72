using System.Text.Json;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace OpenWard.Tests.Shared.Fhir;

/// <summary>
/// The Firely validator with the R4 core specification (profiles, value sets, extensions) read offline
/// from the specification package beside the tests: a resource is checked against the profiles it
/// claims in <c>meta.profile</c> and against base R4.
/// </summary>
public static class FhirProfileValidator
{
    private static readonly Lock Turn = new();
    private static readonly Lazy<Validator> Instance = new(() =>
    {
        var source = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(source, new LocalTerminologyService(source));
    });

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>The errors (and fatal issues) the validator finds in a resource; empty when it conforms.</summary>
    public static IReadOnlyList<string> Errors(Resource resource)
    {
        // The validator and its caches are not thread-safe; tests run side by side.
        lock (Turn)
        {
            var outcome = Instance.Value.Validate(resource);
            return [.. outcome.Issue
                .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
                .Select(i => $"{i.Severity} at {string.Join(", ", i.Expression)}: {i.Details?.Text ?? i.Diagnostics}")];
        }
    }

    /// <summary>The errors in a resource given as FHIR JSON (what a server answered).</summary>
    public static IReadOnlyList<string> Errors(string json) => Errors(JsonSerializer.Deserialize<Resource>(json, Json)!);

    /// <summary>Fails, listing the errors, unless the resource conforms.</summary>
    public static void AssertValid(Resource resource)
    {
        var errors = Errors(resource);
        Assert.True(errors.Count == 0, $"{resource.TypeName}/{resource.Id} does not conform:\n{string.Join("\n", errors)}");
    }
}
