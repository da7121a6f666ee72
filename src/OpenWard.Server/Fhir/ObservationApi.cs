using System.Security.Claims;
using System.Text;
using OpenWard.Fhir;
using OpenWard.Server.Access;
using OpenWard.Server.Readings;
using OpenWard.Server.Smart;

namespace OpenWard.Server.Fhir;

/// <summary>
/// Observations read from the store: <c>GET /fhir/Observation/{id}</c>, the search
/// <c>GET /fhir/Observation?patient=&amp;category=&amp;code=&amp;date=&amp;_count=&amp;_sort=</c> paged by keyset, and
/// <c>GET /fhir/Observation/$lastn</c>.
/// </summary>
public static class ObservationApi
{
    /// <summary>Maps the Observation endpoints.</summary>
    public static IEndpointRouteBuilder MapObservationApi(this IEndpointRouteBuilder app)
    {
        var observations = app.MapGroup("/fhir/Observation").RequireAuthorization(AccessPolicies.ReadClinicalData).WithTags("FHIR");
        observations.MapGet("/", SearchAsync);
        observations.MapGet("/$lastn", LastNAsync);
        observations.MapGet("/{observationId}", ReadAsync);
        return app;
    }

    private static async Task<IResult> ReadAsync(
        string observationId, HttpContext context, ClaimsPrincipal user, ReadingSearch readings, FhirPatientGate gate)
    {
        if (!SmartScopes.MayRead(user, "Observation"))
        {
            return FhirAnswers.Forbidden("Observation", "reading");
        }

        if (!ObservationIds.TryParse(observationId, out var storedId, out var deviceTime)
            || await readings.FindAsync(storedId, deviceTime, context.RequestAborted) is not { Reading.PatientId: { } patientId } stored
            || !await gate.AdmitAsync(context, user, patientId))
        {
            return FhirAnswers.NotFound($"Observation/{observationId}");
        }

        return FhirAnswers.Resource(ObservationResources.From(stored.Id, stored.Reading));
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ClaimsPrincipal user, ReadingSearch readings, FhirPatientGate gate)
    {
        if (!SmartScopes.MaySearch(user, "Observation"))
        {
            return FhirAnswers.Forbidden("Observation", "searching");
        }

        if (ObservationSearchRequest.Parse(context.Request.Query, lastN: false, out var problems) is not { } search)
        {
            return FhirAnswers.Invalid(problems);
        }

        if (!await gate.AdmitAsync(context, user, search.PatientId))
        {
            return FhirAnswers.NotFound($"Patient/{search.PatientId}");
        }

        // One more than a page says whether there is a next page.
        var page = await readings.PageAsync(
            search.PatientId, search.Vitals, search.Range.From, search.Range.To, search.After, search.Count + 1, search.NewestFirst, context.RequestAborted);
        var more = page.Count > search.Count;
        var shown = more ? page.Take(search.Count).ToList() : page;
        // The total is given only where it costs nothing: when this first page holds every match.
        int? total = !more && search.After is null ? shown.Count : null;
        var next = more ? NextLink(context.Request, ReadingKeyset.Of(shown[^1])) : null;
        return FhirAnswers.Searchset(context.Request, shown.Select(r => ObservationResources.From(r.Id, r.Reading)), total, next);
    }

    private static async Task<IResult> LastNAsync(HttpContext context, ClaimsPrincipal user, ReadingSearch readings, FhirPatientGate gate)
    {
        if (!SmartScopes.MaySearch(user, "Observation"))
        {
            return FhirAnswers.Forbidden("Observation", "searching");
        }

        if (ObservationSearchRequest.Parse(context.Request.Query, lastN: true, out var problems) is not { } search)
        {
            return FhirAnswers.Invalid(problems);
        }

        if (!await gate.AdmitAsync(context, user, search.PatientId))
        {
            return FhirAnswers.NotFound($"Patient/{search.PatientId}");
        }

        var latest = await readings.LatestAsync(search.PatientId, search.Vitals, search.Count, context.RequestAborted);
        return FhirAnswers.Searchset(context.Request, latest.Select(r => ObservationResources.From(r.Id, r.Reading)), latest.Count);
    }

    // The same search from after the page's last Observation: every parameter as given, the cursor replaced.
    private static string NextLink(HttpRequest request, ReadingKeyset after)
    {
        var query = new StringBuilder();
        foreach (var (name, values) in request.Query.Where(p => p.Key != "_cursor"))
        {
            foreach (var value in values)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
            }
        }

        query.Append(query.Length == 0 ? '?' : '&').Append("_cursor=").Append(after.ToString());
        return "/Observation" + query;
    }
}
