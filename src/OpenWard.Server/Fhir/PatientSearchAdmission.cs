namespace OpenWard.Server.Fhir;

/// <summary>The patient a search may read, or the answer that refuses it.</summary>
public sealed record PatientSearchAdmission(string PatientId, IResult? Refusal)
{
    /// <summary>A search refused with <paramref name="answer"/>.</summary>
    public static PatientSearchAdmission Refused(IResult answer) => new(string.Empty, answer);
}
