namespace OpenWard.Server.WardOverview;

/// <summary>A patient's device as a ward tile shows it.</summary>
/// <param name="Id">The device's id.</param>
/// <param name="Model">Its model.</param>
/// <param name="Connected">Whether it holds an MQTT connection now.</param>
/// <param name="LastReadingAt">When its newest reading among the patient's latest values was taken, if any.</param>
/// <param name="BatteryPercent">Its last reported battery charge, if it reports one.</param>
public sealed record WardDevice(string Id, string Model, bool Connected, DateTimeOffset? LastReadingAt, double? BatteryPercent);
