namespace OpenWard.Server.Devices;

/// <summary>What the gateway has seen of a device since the server started.</summary>
/// <param name="Id">The device's id.</param>
/// <param name="Connected">Whether it holds an MQTT connection now.</param>
/// <param name="LastSeenAt">When it last sent anything, if it has since the server started.</param>
/// <param name="BatteryPercent">The battery charge it last reported since the server started, if any.</param>
/// <param name="RefusedTopics">How many times it published on another device's topic (each refused and dead-lettered without its payload).</param>
public sealed record DeviceStatus(string Id, bool Connected, DateTimeOffset? LastSeenAt, double? BatteryPercent, long RefusedTopics = 0);
