namespace OpenWard.Server.Fhir;

/// <summary>The parameters of a search whose one parameter is the patient (<c>Device?patient=</c>, <c>Flag?patient=</c>).</summary>
public static class PatientSearch
{
    /// <summary>The patient the search names, or null with the reasons: an unknown parameter, or the patient missing or given twice.</summary>
    public static string? Read(IQueryCollection query, out IReadOnlyList<string> problems)
    {
        var errors = query.Keys.Where(k => k != "patient").Select(name => $"search parameter \"{name}\" is not supported here; supported: patient").ToList();
        if (query["patient"] is not { Count: 1 } patients || patients[0] is not { Length: > 0 } patient)
        {
            errors.Add("patient is required, once: patient={id} or patient=Patient/{id}");
            patient = null;
        }

        problems = errors;
        return errors.Count > 0 ? null : patient!.StartsWith("Patient/", StringComparison.Ordinal) ? patient["Patient/".Length..] : patient;
    }
}
