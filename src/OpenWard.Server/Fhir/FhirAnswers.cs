using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;

namespace OpenWard.Server.Fhir;

/// <summary>The FHIR API's answers: a resource, a searchset Bundle, or an OperationOutcome with a status and its reasons.</summary>
public static class FhirAnswers
{
    /// <summary>200 with the resource as FHIR JSON.</summary>
    public static IResult Resource(Resource resource) =>
        Results.Text(JsonSerializer.Serialize(resource, FhirJson.Options), FhirResponses.MediaType, System.Text.Encoding.UTF8, StatusCodes.Status200OK);

    /// <summary>400: the request's parameters, each reason an issue.</summary>
    public static IResult Invalid(IEnumerable<string> reasons) => Outcome(StatusCodes.Status400BadRequest, reasons, OperationOutcome.IssueType.Invalid);

    /// <summary>404: no such resource the caller may read (the same answer whether it exists or not).</summary>
    public static IResult NotFound(string what) =>
        Outcome(StatusCodes.Status404NotFound, [$"{what} is not known, or not one you may read"], OperationOutcome.IssueType.NotFound);

    /// <summary>403: the caller's token does not allow reading this type of resource.</summary>
    public static IResult Forbidden(string resourceType, string interaction) =>
        Outcome(StatusCodes.Status403Forbidden, [$"your token's scopes do not allow {interaction} {resourceType}"], OperationOutcome.IssueType.Forbidden);

    /// <summary>
    /// A searchset Bundle of <paramref name="resources"/>: each entry with its full URL, the search's own
    /// link, the next page's when there is one, and the total when the caller gives it.
    /// </summary>
    public static IResult Searchset(HttpRequest request, IEnumerable<Resource> resources, int? total = null, string? next = null)
    {
        var root = Root(request);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = total,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = root + request.Path.Value!["/fhir".Length..] + request.QueryString }],
        };
        if (next is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = root + next });
        }

        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = resource.Id is null ? null : $"{root}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return Resource(bundle);
    }

    /// <summary>The FHIR base URL the request came to, e.g. <c>https://ward.example:5443/fhir</c>.</summary>
    public static string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";

    private static IResult Outcome(int status, IEnumerable<string> reasons, OperationOutcome.IssueType type) =>
        Results.Text(FhirResponses.Outcome(reasons, type), FhirResponses.MediaType, System.Text.Encoding.UTF8, status);
}
