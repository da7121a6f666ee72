namespace OpenWard.Core.Alerts;

/// <summary>Why a transition asked of an alert is not allowed in the state it is in.</summary>
/// <param name="State">The state the alert is in.</param>
/// <param name="Reason">What a person reads, e.g. "the alert is acknowledged".</param>
public sealed record AlertRefusal(AlertState State, string Reason);
