namespace OpenWard.Cli.Bench;

/// <summary>
/// How the devices of a lost node came back: how many lost their connection, how many had a message
/// acknowledged through another node before the run ended, and the time from the node's loss to that
/// acknowledgement (the failover the device sees).
/// </summary>
public sealed record FailoverReport(int DevicesCutOff, int DevicesBack, LatencySummary LossToAcknowledgedMs);
