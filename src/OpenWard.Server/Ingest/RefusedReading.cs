namespace OpenWard.Server.Ingest;

/// <summary>A reading of a batch that was refused and dead-lettered: its position and why.</summary>
public sealed record RefusedReading(int Index, string Reason);
