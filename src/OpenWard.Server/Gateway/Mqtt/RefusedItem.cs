namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>One reading of a message that was refused: its position in the message (from 0) and why.</summary>
public sealed record RefusedItem(int Item, string Reason);
