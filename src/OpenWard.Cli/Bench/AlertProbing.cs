namespace OpenWard.Cli.Bench;

/// <summary>How many alert probes a run has, and the server whose alerts hub times them.</summary>
public sealed record AlertProbing(int Probes, Uri Console);
