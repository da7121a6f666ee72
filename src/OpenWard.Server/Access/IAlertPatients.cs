namespace OpenWard.Server.Access;

/// <summary>
/// Which patient an alert is about. A seam: access declares it, so that a route naming an alert is
/// checked against the alert's patient, and alerting (which access must not import) implements it.
/// </summary>
public interface IAlertPatients
{
    /// <summary>The patient the alert with this id is about, or null when there is no such alert.</summary>
    Task<string?> PatientOfAsync(string id, CancellationToken cancellationToken);
}
