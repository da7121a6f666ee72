using System.Globalization;
using System.Text;

namespace OpenWard.Server.Ingest;

/// <summary>What happened to one device payload, reported back to the device once committed.</summary>
public sealed record IngestOutcome
{
    /// <summary>Readings in the payload.</summary>
    public required int Received { get; init; }

    /// <summary>Readings newly stored.</summary>
    public required int Stored { get; init; }

    /// <summary>Readings already stored before with the same value(s) (sent twice) and skipped.</summary>
    public required int Duplicates { get; init; }

    /// <summary>Stored readings taken while the device was assigned to no patient.</summary>
    public required int Unattributed { get; init; }

    /// <summary>Readings refused, each dead-lettered with its reason.</summary>
    public required IReadOnlyList<RefusedReading> Refused { get; init; }

    /// <summary>The readings of the payload that are in the store: newly stored, or stored before and sent twice.</summary>
    public IReadOnlyList<ReadingInStore> InStore { get; init; } = [];

    /// <summary>What a decoder found but did not store, and why (e.g. a value the device marked NaN).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Why the whole payload was refused (and dead-lettered), if it was.</summary>
    public string? PayloadProblem { get; init; }

    /// <summary>True when every reading was stored or was a duplicate.</summary>
    public bool AllAccepted => PayloadProblem is null && Refused.Count == 0;

    /// <summary>One line for an MQTT 5 reason string or a log: counts and the first reasons.</summary>
    public string Summary()
    {
        if (PayloadProblem is not null)
        {
            return PayloadProblem;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"stored {Stored}, duplicates {Duplicates}, refused {Refused.Count}");
        foreach (var refused in Refused.Take(3))
        {
            text.Append(CultureInfo.InvariantCulture, $"; [{refused.Index}] {refused.Reason}");
        }

        if (Refused.Count > 3)
        {
            text.Append("; …");
        }

        foreach (var note in Notes.Take(3))
        {
            text.Append("; ").Append(note);
        }

        return text.ToString();
    }
}
