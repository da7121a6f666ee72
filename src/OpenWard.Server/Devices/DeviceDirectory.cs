using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace OpenWard.Server.Devices;

/// <summary>
/// The in-memory view of every device that the gateway consults on each CONNECT and reading:
/// its model, secret hash, whether it is revoked, and its assignment history. Loaded from the store at
/// start and updated by <see cref="DeviceRegistry"/> after each committed change.
/// </summary>
public sealed class DeviceDirectory
{
    private readonly ConcurrentDictionary<string, Entry> devices = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces a device's credentials and assignments.</summary>
    public void Put(string deviceId, string model, string secretHash, bool revoked, ImmutableArray<AssignmentPeriod> assignments, string? certificateSha256 = null) =>
        devices[deviceId] = new Entry(model, secretHash, revoked, assignments, VerifiedSecret: null, certificateSha256);

    /// <summary>Pins a device's client certificate (SHA-256 of its DER encoding, hex), or unpins it with null.</summary>
    public void PinCertificate(string deviceId, string? certificateSha256) =>
        devices.AddOrUpdate(deviceId, _ => throw new KeyNotFoundException(deviceId), (_, e) => e with { CertificateSha256 = certificateSha256 });

    /// <summary>The pinned certificate's SHA-256, or null when the device signs in with its secret alone.</summary>
    public string? PinnedCertificateOf(string deviceId) => devices.TryGetValue(deviceId, out var e) ? e.CertificateSha256 : null;

    /// <summary>The active device whose pinned certificate has this fingerprint, or null.</summary>
    public string? DeviceWithCertificate(string fingerprint) =>
        devices.FirstOrDefault(d => !d.Value.Revoked && d.Value.CertificateSha256 == fingerprint).Key;

    /// <summary>The device's model, or null for an unknown device.</summary>
    public string? ModelOf(string deviceId) => devices.TryGetValue(deviceId, out var e) ? e.Model : null;

    /// <summary>Marks a device revoked: from now on it cannot connect or send.</summary>
    public void Revoke(string deviceId) =>
        devices.AddOrUpdate(deviceId, _ => throw new KeyNotFoundException(deviceId), (_, e) => e with { Revoked = true, VerifiedSecret = null });

    /// <summary>Replaces a device's secret: the old one stops working at once.</summary>
    public void SetSecret(string deviceId, string secretHash) =>
        devices.AddOrUpdate(deviceId, _ => throw new KeyNotFoundException(deviceId), (_, e) => e with { SecretHash = secretHash, VerifiedSecret = null });

    /// <summary>Replaces a device's assignment history.</summary>
    public void SetAssignments(string deviceId, ImmutableArray<AssignmentPeriod> assignments) =>
        devices.AddOrUpdate(deviceId, _ => throw new KeyNotFoundException(deviceId), (_, e) => e with { Assignments = assignments });

    /// <summary>
    /// What each device signs in with now (its secret hash, pinned certificate and standing), to tell
    /// after a reload which devices' connections were opened with credentials that no longer hold.
    /// </summary>
    public IReadOnlyDictionary<string, DeviceCredentials> Credentials() =>
        devices.ToDictionary(d => d.Key, d => new DeviceCredentials(d.Value.SecretHash, d.Value.CertificateSha256, d.Value.Revoked), StringComparer.Ordinal);

    /// <summary>Whether a device with this id was ever registered (revoked or not).</summary>
    public bool Knows(string deviceId) => devices.ContainsKey(deviceId);

    /// <summary>Whether the device exists and is not revoked.</summary>
    public bool IsActive(string deviceId) => devices.TryGetValue(deviceId, out var e) && !e.Revoked;

    /// <summary>
    /// Checks a device's secret. The slow hash is computed once per device and secret; after that
    /// a SHA-256 of the verified secret held in memory answers, so reconnect storms stay cheap.
    /// </summary>
    public DeviceAuthentication Authenticate(string deviceId, string? secret)
    {
        if (!devices.TryGetValue(deviceId, out var entry))
        {
            return DeviceAuthentication.UnknownDevice;
        }

        if (entry.Revoked)
        {
            return DeviceAuthentication.Revoked;
        }

        if (string.IsNullOrEmpty(secret))
        {
            return DeviceAuthentication.WrongSecret;
        }

        var fingerprint = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        if (entry.VerifiedSecret is { } verified)
        {
            return CryptographicOperations.FixedTimeEquals(verified, fingerprint)
                ? DeviceAuthentication.Accepted
                : DeviceAuthentication.WrongSecret;
        }

        if (!DeviceSecret.Verify(secret, entry.SecretHash))
        {
            return DeviceAuthentication.WrongSecret;
        }

        devices.TryUpdate(deviceId, entry with { VerifiedSecret = fingerprint }, entry);
        return DeviceAuthentication.Accepted;
    }

    /// <summary>The patient the device was assigned to at <paramref name="time"/>, or null.</summary>
    public string? PatientAt(string deviceId, DateTimeOffset time)
    {
        if (!devices.TryGetValue(deviceId, out var entry))
        {
            return null;
        }

        foreach (var period in entry.Assignments)
        {
            if (period.Covers(time))
            {
                return period.PatientId;
            }
        }

        return null;
    }

    private sealed record Entry(
        string Model, string SecretHash, bool Revoked, ImmutableArray<AssignmentPeriod> Assignments, byte[]? VerifiedSecret, string? CertificateSha256);
}
