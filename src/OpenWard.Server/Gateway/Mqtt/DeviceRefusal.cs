namespace OpenWard.Server.Gateway.Mqtt;

/// <summary>
/// What a device hears on <c>devices/{id}/refusals</c> when a message it published was refused, whole
/// or in part: the topic it was published on, when it arrived, the reason (as an MQTT 5 PUBACK's reason
/// string says it), and each refused reading with its own reason.
/// </summary>
public sealed record DeviceRefusal(string Topic, DateTimeOffset ReceivedAt, string Reason, IReadOnlyList<RefusedItem> Items);
