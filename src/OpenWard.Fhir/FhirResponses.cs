using System.Text.Json;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir;

/// <summary>The FHIR resources OpenWard answers ingestion with: OperationOutcomes, the created Observation, Bundle responses.</summary>
public static class FhirResponses
{
    /// <summary>The FHIR JSON media type.</summary>
    public const string MediaType = "application/fhir+json";

    /// <summary>An OperationOutcome with one error issue per reason.</summary>
    public static string Outcome(IEnumerable<string> reasons, OperationOutcome.IssueType type = OperationOutcome.IssueType.Invalid)
    {
        var outcome = new OperationOutcome();
        foreach (var reason in reasons)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = type, Diagnostics = reason });
        }

        return JsonSerializer.Serialize<Resource>(outcome, FhirJson.Options);
    }

    /// <summary>An OperationOutcome with one informational issue: what happened to a submission that was accepted.</summary>
    public static string Information(string note) =>
        JsonSerializer.Serialize<Resource>(Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, note), FhirJson.Options);

    /// <summary>The submitted Observation as created, with the id OpenWard gave it.</summary>
    public static string Created(string submittedJson, string id)
    {
        var observation = (Observation)JsonSerializer.Deserialize<Resource>(submittedJson, FhirJson.Options)!;
        observation.Id = id;
        observation.Meta = new Meta { LastUpdated = DateTimeOffset.UtcNow };
        return JsonSerializer.Serialize<Resource>(observation, FhirJson.Options);
    }

    /// <summary>
    /// A batch-response or transaction-response Bundle: per entry, 201 with the new Observation's
    /// location, 200 with a note for context entries that were not stored, or 422 with the reason.
    /// </summary>
    public static string BundleResponse(string bundleType, IReadOnlyList<(string? Id, string? Problem, string? Note)> entries)
    {
        var bundle = new Bundle { Type = bundleType == "transaction" ? Bundle.BundleType.TransactionResponse : Bundle.BundleType.BatchResponse };
        foreach (var (id, problem, note) in entries)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { Response = EntryResponse(id, problem, note) });
        }

        return JsonSerializer.Serialize<Resource>(bundle, FhirJson.Options);
    }

    private static Bundle.ResponseComponent EntryResponse(string? id, string? problem, string? note)
    {
        if (problem is not null)
        {
            return new Bundle.ResponseComponent
            {
                Status = "422 Unprocessable Entity",
                Outcome = Issue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invalid, problem),
            };
        }

        if (note is not null)
        {
            return new Bundle.ResponseComponent
            {
                Status = "200 OK",
                Outcome = Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, note),
            };
        }

        return new Bundle.ResponseComponent { Status = "201 Created", Location = $"Observation/{id}" };
    }

    private static OperationOutcome Issue(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, string text) =>
        new() { Issue = [new OperationOutcome.IssueComponent { Severity = severity, Code = type, Diagnostics = text }] };
}
