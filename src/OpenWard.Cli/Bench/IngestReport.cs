namespace OpenWard.Cli.Bench;

/// <summary>What an ingest benchmark measured.</summary>
public sealed record IngestReport
{
    /// <summary>What was measured: <c>openward</c> (stored) or <c>mosquitto</c> (pass-through to a subscriber).</summary>
    public required string Broker { get; init; }

    /// <summary>The load applied.</summary>
    public required IngestLoad Load { get; init; }

    /// <summary>Seconds spent publishing.</summary>
    public required double Seconds { get; init; }

    /// <summary>Messages acknowledged by the broker.</summary>
    public required long MessagesAcknowledged { get; init; }

    /// <summary>Readings in acknowledged messages.</summary>
    public required long ReadingsAcknowledged { get; init; }

    /// <summary>Messages the broker refused (a non-success reason code) or that failed.</summary>
    public required long MessagesRefused { get; init; }

    /// <summary>Acknowledged messages per second.</summary>
    public double MessagesPerSecond => MessagesAcknowledged / Seconds;

    /// <summary>Acknowledged readings per second.</summary>
    public double ReadingsPerSecond => ReadingsAcknowledged / Seconds;

    /// <summary>
    /// Publish-to-acknowledge latency. OpenWard acknowledges only after the durable commit, so for
    /// OpenWard this is also publish-to-stored; a pass-through broker acknowledges on receipt.
    /// </summary>
    public required LatencySummary PublishToAcknowledgeMs { get; init; }

    /// <summary>
    /// For a pass-through broker: messages its subscriber received per second during the measured
    /// window — the rate it passed through. Below <see cref="MessagesPerSecond"/> when the
    /// subscriber fell behind and the broker queued or dropped what it accepted.
    /// </summary>
    public double? MessagesDeliveredPerSecond { get; init; }

    /// <summary>Readings found afterwards: in OpenWard's store, or delivered to the pass-through subscriber.</summary>
    public long? ReadingsVerifiedStored { get; init; }

    /// <summary>Acknowledged readings not found (must be 0).</summary>
    public long? ReadingsLost { get; init; }

    /// <summary>Average server CPU use in cores, when the server runs on this machine.</summary>
    public double? ServerCores { get; init; }

    /// <summary>Server peak resident memory in MiB, when the server runs on this machine.</summary>
    public double? ServerPeakMemoryMiB { get; init; }

    /// <summary>With alert probes: from an emergency call's publish to its alert arriving on the alerts hub.</summary>
    public LatencySummary? PublishToAlertMs { get; init; }

    /// <summary>With alert probes: emergency calls sent while the load ran.</summary>
    public int? AlertProbesSent { get; init; }

    /// <summary>With alert probes: calls whose alert did not arrive within 10 seconds.</summary>
    public int? AlertProbesMissed { get; init; }

    /// <summary>When a node was lost during the run: how its devices came back through the others.</summary>
    public FailoverReport? Failover { get; init; }

    /// <summary>With alert probes and a node lost: how long until every probe patient's emergency call raised an alert again.</summary>
    public double? MonitoringResumedAfterMs { get; init; }
}
