namespace OpenWard.Server.Devices;

/// <summary>The outcome of checking a device's credentials.</summary>
public enum DeviceAuthentication
{
    /// <summary>Known, active, and the secret matches.</summary>
    Accepted,

    /// <summary>No device has this id.</summary>
    UnknownDevice,

    /// <summary>The secret does not match.</summary>
    WrongSecret,

    /// <summary>The device was revoked.</summary>
    Revoked,

    /// <summary>The device's certificate is pinned and the connection did not present it.</summary>
    WrongCertificate,

    /// <summary>The network address is connecting or uploading faster than its rate limit allows.</summary>
    TooManyRequests,

    /// <summary>Recent failures for this device id from this address: refused without checking the secret until the back-off has passed.</summary>
    BackingOff,
}
