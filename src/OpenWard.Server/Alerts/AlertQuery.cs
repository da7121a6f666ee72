using OpenWard.Core.Alerting;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Which alerts to list: by state (<c>active</c> = raised or acknowledged), patient and minimum
/// severity, always within the patients the caller may see.
/// </summary>
public sealed record AlertQuery(string? State, string? PatientId, AlertSeverity? MinimumSeverity, int Limit, IReadOnlySet<string> VisiblePatients);
