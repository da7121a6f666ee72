namespace OpenWard.Server.Devices;

/// <summary>
/// The connections a device holds open. A seam: the fleet declares it, so that changing a device's
/// credentials ends its sessions at once, and the gateway (which the fleet must not import) implements it.
/// </summary>
public interface IDeviceSessions
{
    /// <summary>Closes the device's open connections, saying why in the log.</summary>
    Task DisconnectDeviceAsync(string deviceId, string reason);

    /// <summary>Closes the device's open connections because it connected again through another node (its session moved there).</summary>
    Task HandOverDeviceAsync(string deviceId);
}
