namespace OpenWard.Server.Alerts;

/// <summary>One notice to one target on one channel, and how its delivery went.</summary>
public sealed record AlertDelivery(
    string Channel, string Target, string Change, string Status, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);
