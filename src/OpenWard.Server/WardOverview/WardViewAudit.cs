using System.Collections.Concurrent;
using OpenWard.Server.Audit;

namespace OpenWard.Server.WardOverview;

/// <summary>
/// The ward overview shows many patients at once, so its one request is also written into each
/// shown patient's access log — once per person and patient every 15 minutes, because an open
/// console reloads the ward whenever readings arrive and a row per reload would bury the log.
/// </summary>
public sealed class WardViewAudit(AuditTrail trail, TimeProvider clock)
{
    /// <summary>The action recorded in the patient's access log.</summary>
    public const string Action = "GET /api/v1/ward";

    private static readonly TimeSpan Every = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<(string Actor, string PatientId), DateTimeOffset> lastRecorded = new();

    /// <summary>Records that <paramref name="actor"/> saw these patients on the ward overview.</summary>
    public async Task RecordAsync(string actor, IEnumerable<string> patientIds, string source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var patientId in patientIds)
        {
            var key = (actor, patientId);
            if (lastRecorded.TryGetValue(key, out var last) && now - last < Every)
            {
                continue;
            }

            await trail.AppendAsync(actor, Action, patientId, source, "200", cancellationToken);
            lastRecorded[key] = now;
        }
    }
}
