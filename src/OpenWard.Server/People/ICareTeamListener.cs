namespace OpenWard.Server.People;

/// <summary>
/// Told when a patient moves to another care team, so that the patient's alerts and notices go to the
/// new team's consoles at once. A seam: people declares it, and alerting (which people must not import)
/// implements it.
/// </summary>
public interface ICareTeamListener
{
    /// <summary>The patient moved to another care team, or out of every team (called once the move is stored).</summary>
    void CareTeamChanged(string patientId);
}
