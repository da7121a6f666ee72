using OpenWard.Server.Ingest;

namespace OpenWard.Server.Gateway.Http;

/// <summary>The HTTP answer to an upload: counts, and each refused reading with its reason.</summary>
public sealed record IngestReceipt(
    int Received, int Stored, int Duplicates, int Unattributed, IReadOnlyList<RefusedReading> Refused, IReadOnlyList<string> Notes, string? Problem)
{
    /// <summary>The receipt for an ingest outcome.</summary>
    public static IngestReceipt From(IngestOutcome outcome) =>
        new(outcome.Received, outcome.Stored, outcome.Duplicates, outcome.Unattributed, outcome.Refused, outcome.Notes, outcome.PayloadProblem);
}
