using System.Collections.Immutable;
using System.Data;
using System.Text.RegularExpressions;
using System.Data.Common;
using OpenWard.Server.Patients;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>
/// Registered devices and their assignments to patients, in the store; every committed change is
/// mirrored into the <see cref="DeviceDirectory"/> the gateway reads — this node's at once, and the
/// other nodes' sharing the store through a signal (<see cref="StoreSignals"/>), on which each reloads
/// the device and, when its secret, pinned certificate or standing changed, closes its connections there.
/// </summary>
public sealed partial class DeviceRegistry(
    ClinicalDatabase database, DeviceDirectory directory, IDeviceSessions sessions, PatientRegistry patients, StoreSignals signals, TimeProvider clock)
{
    private const string Topic = "device";

    // The changes another node's directory hears of, with why the device's connections there are closed (null: they stay).
    private static readonly Dictionary<string, string?> Changes = new(StringComparer.Ordinal)
    {
        ["registered"] = null,
        ["assigned"] = null,
        ["secret"] = "secret rotated",
        ["pinned"] = "client certificate pinned",
        ["revoked"] = "device revoked",
    };

    /// <summary>Loads every device into the directory; called at start, and again when this node may have missed other nodes' changes.</summary>
    public Task LoadDirectoryAsync(CancellationToken cancellationToken) => LoadAsync(deviceId: null, cancellationToken);

    /// <summary>Keeps this node's directory up to date with the changes other nodes make; called once at start.</summary>
    public void ListenToOtherNodes() => signals.Listen(Topic, HeardAsync, CatchUpAsync);

    // After this node may have missed signals (its listening connection was lost): everything is read
    // again, and the connections of devices re-keyed, re-pinned or revoked meanwhile are closed here, as
    // the signals would have closed them.
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var before = directory.Credentials();
        await LoadDirectoryAsync(cancellationToken);
        foreach (var (deviceId, now) in directory.Credentials())
        {
            if (before.TryGetValue(deviceId, out var then) && now != then)
            {
                await sessions.DisconnectDeviceAsync(deviceId, now.Revoked ? "device revoked" : "credentials changed");
            }
        }
    }

    private async Task HeardAsync(StoreSignal signal, CancellationToken cancellationToken)
    {
        var parts = signal.Subject.Split(':', 2);
        if (parts.Length != 2 || !Changes.TryGetValue(parts[0], out var closeBecause))
        {
            return;
        }

        await LoadAsync(parts[1], cancellationToken);
        if (closeBecause is not null)
        {
            await sessions.DisconnectDeviceAsync(parts[1], closeBecause);
        }
    }

    private Task TellOtherNodesAsync(string change, string deviceId, CancellationToken cancellationToken) =>
        signals.SendAsync(Topic, $"{change}:{deviceId}", cancellationToken);

    // Loads one device, or every device, from the store into the directory.
    private async Task LoadAsync(string? deviceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var assignments = await ReadAssignmentsAsync(connection, deviceId, cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, model, secret_hash, revoked_at, certificate_sha256 FROM devices"
            + (deviceId is null ? ";" : " WHERE id = @id;");
        if (deviceId is not null)
        {
            query.AddParameter("@id", deviceId);
        }

        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            directory.Put(id, reader.GetString(1), reader.GetString(2), !reader.IsDBNull(3), assignments.GetValueOrDefault(id, []),
                reader.IsDBNull(4) ? null : reader.GetString(4));
        }
    }

    /// <summary>Registers a device and returns it with its secret, which is never shown again.</summary>
    public async Task<Outcome<(Device Device, string Secret)>> RegisterAsync(
        string id, string model, string serial, CancellationToken cancellationToken, string? firmware = null)
    {
        if (!DeviceIdPattern().IsMatch(id))
        {
            return Outcome<(Device, string)>.Refused(ProblemKind.Invalid,
                "device id must be 1 to 64 letters, digits, '.', '_' or '-' (it is used as an MQTT topic segment)");
        }

        if (string.IsNullOrWhiteSpace(model) || string.IsNullOrWhiteSpace(serial) || model.Length > 200 || serial.Length > 200)
        {
            return Outcome<(Device, string)>.Refused(ProblemKind.Invalid, "model and serial are required (at most 200 characters)");
        }

        if (FirmwareProblem(firmware) is { } problem)
        {
            return Outcome<(Device, string)>.Refused(ProblemKind.Invalid, problem);
        }

        var secret = DeviceSecret.Generate();
        var hash = DeviceSecret.Hash(secret);
        var device = new Device
        {
            Id = id, Model = model.Trim(), Serial = serial.Trim(), RegisteredAt = clock.GetUtcNow(),
            Firmware = string.IsNullOrWhiteSpace(firmware) ? null : firmware.Trim(),
        };
        var changed = await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO devices (id, model, serial, secret_hash, created_at, firmware) VALUES (@id, @model, @serial, @hash, @created, @firmware)
                ON CONFLICT (id) DO NOTHING;
                """;
            insert.AddParameter("@id", device.Id);
            insert.AddParameter("@model", device.Model);
            insert.AddParameter("@serial", device.Serial);
            insert.AddParameter("@hash", hash);
            insert.AddParameter("@created", device.RegisteredAt.ToUnixTimeMilliseconds());
            insert.AddParameter("@firmware", device.Firmware).DbType = DbType.String;
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (changed == 0)
        {
            return Outcome<(Device, string)>.Refused(ProblemKind.Conflict, $"a device with id {id} is already registered");
        }

        directory.Put(id, device.Model, hash, revoked: false, []);
        await TellOtherNodesAsync("registered", id, cancellationToken);
        return Outcome<(Device, string)>.Done((device, secret));
    }

    /// <summary>
    /// Assigns the device to a patient from <paramref name="from"/> on (default now), ending any
    /// current assignment at that moment. Readings are attributed by their own time, so a device
    /// moved between patients never mixes their data.
    /// </summary>
    public async Task<Outcome<AssignmentPeriod>> AssignAsync(string deviceId, string patientId, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        if (!await patients.ExistsAsync(patientId, cancellationToken))
        {
            return Outcome<AssignmentPeriod>.Refused(ProblemKind.NotFound, $"no patient with id {patientId}");
        }

        var start = from ?? clock.GetUtcNow();
        var assigned = await database.WriteAsync(async connection =>
        {
            // One assignment of a device at a time, also across nodes sharing a PostgreSQL store.
            await database.TakeTurnAsync(connection, $"device assignment {deviceId}", cancellationToken);
            var device = (await QueryDevicesAsync(connection, deviceId, cancellationToken)).SingleOrDefault();
            if (device is null)
            {
                return Outcome<ImmutableArray<AssignmentPeriod>>.Refused(ProblemKind.NotFound, $"no device with id {deviceId}");
            }

            if (device.RevokedAt is not null)
            {
                return Outcome<ImmutableArray<AssignmentPeriod>>.Refused(ProblemKind.Conflict, $"device {deviceId} is revoked");
            }

            var history = (await ReadAssignmentsAsync(connection, deviceId, cancellationToken)).GetValueOrDefault(deviceId, []);
            if (history.Any(p => p.From >= start || (p.Until is { } until && until > start)))
            {
                return Outcome<ImmutableArray<AssignmentPeriod>>.Refused(ProblemKind.Conflict,
                    $"an assignment of device {deviceId} already covers {start:O} or later; assignments can only be added after the latest one");
            }

            await using (var end = connection.CreateCommand())
            {
                end.CommandText = "UPDATE device_assignments SET ends_at = @start WHERE device_id = @device AND ends_at IS NULL;";
                end.AddParameter("@start", start.ToUnixTimeMilliseconds());
                end.AddParameter("@device", deviceId);
                await end.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var insert = connection.CreateCommand())
            {
                insert.CommandText = "INSERT INTO device_assignments (device_id, patient_id, starts_at) VALUES (@device, @patient, @start);";
                insert.AddParameter("@device", deviceId);
                insert.AddParameter("@patient", patientId);
                insert.AddParameter("@start", start.ToUnixTimeMilliseconds());
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return Outcome<ImmutableArray<AssignmentPeriod>>.Done((await ReadAssignmentsAsync(connection, deviceId, cancellationToken))[deviceId]);
        }, cancellationToken);
        if (assigned.Problem != ProblemKind.None)
        {
            return Outcome<AssignmentPeriod>.Refused(assigned.Problem, assigned.Reason!);
        }

        var updated = assigned.Value;
        directory.SetAssignments(deviceId, updated);
        await TellOtherNodesAsync("assigned", deviceId, cancellationToken);
        return Outcome<AssignmentPeriod>.Done(updated[^1]);
    }

    /// <summary>Gives an active device a new secret (shown once); the old secret stops working at once.</summary>
    public async Task<Outcome<string>> RotateSecretAsync(string deviceId, CancellationToken cancellationToken)
    {
        var secret = DeviceSecret.Generate();
        var hash = DeviceSecret.Hash(secret);
        var changed = await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE devices SET secret_hash = @hash WHERE id = @id AND revoked_at IS NULL;";
            update.AddParameter("@hash", hash);
            update.AddParameter("@id", deviceId);
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (changed == 0)
        {
            return Outcome<string>.Refused(ProblemKind.NotFound, $"no active device with id {deviceId}");
        }

        directory.SetSecret(deviceId, hash);
        // Sessions opened with the old secret are closed: the device reconnects with the new one.
        await sessions.DisconnectDeviceAsync(deviceId, "secret rotated");
        await TellOtherNodesAsync("secret", deviceId, cancellationToken);
        return Outcome<string>.Done(secret);
    }

    /// <summary>
    /// Pins a device's client certificate (PEM): from now on it must present exactly this
    /// certificate on every transport (MQTT and HTTPS upload over TLS, HL7 over MLLP with TLS),
    /// besides its secret. Null unpins it.
    /// </summary>
    public async Task<Outcome<string?>> PinCertificateAsync(string deviceId, string? certificatePem, CancellationToken cancellationToken)
    {
        string? sha256 = null;
        if (certificatePem is not null && (sha256 = CertificatePin.FingerprintOfPem(certificatePem)) is null)
        {
            return Outcome<string?>.Refused(ProblemKind.Invalid, "certificatePem is not a PEM-encoded X.509 certificate");
        }

        var changed = await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE devices SET certificate_sha256 = @sha WHERE id = @id AND revoked_at IS NULL;";
            update.AddParameter("@sha", sha256).DbType = DbType.String;
            update.AddParameter("@id", deviceId);
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (changed == 0)
        {
            return Outcome<string?>.Refused(ProblemKind.NotFound, $"no active device with id {deviceId}");
        }

        directory.PinCertificate(deviceId, sha256);
        // Sessions opened without the certificate are closed: the device reconnects presenting it.
        await sessions.DisconnectDeviceAsync(deviceId, "client certificate pinned");
        await TellOtherNodesAsync("pinned", deviceId, cancellationToken);
        return Outcome<string?>.Done(sha256);
    }

    /// <summary>Revokes a device: it can no longer connect or send. Already stored readings stay.</summary>
    public async Task<Outcome<Device>> RevokeAsync(string deviceId, CancellationToken cancellationToken)
    {
        var changed = await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE devices SET revoked_at = coalesce(revoked_at, @now) WHERE id = @id;";
            update.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            update.AddParameter("@id", deviceId);
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (changed == 0)
        {
            return Outcome<Device>.Refused(ProblemKind.NotFound, $"no device with id {deviceId}");
        }

        directory.Revoke(deviceId);
        await sessions.DisconnectDeviceAsync(deviceId, "device revoked");
        await TellOtherNodesAsync("revoked", deviceId, cancellationToken);
        return Outcome<Device>.Done((await FindAsync(deviceId, cancellationToken))!);
    }

    /// <summary>Records the firmware version a device now runs (after an upgrade).</summary>
    public async Task<Outcome<Device>> RecordFirmwareAsync(string deviceId, string? version, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(version) || FirmwareProblem(version) is not null)
        {
            return Outcome<Device>.Refused(ProblemKind.Invalid, FirmwareProblem(version) ?? "the firmware version is required");
        }

        var changed = await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE devices SET firmware = @firmware WHERE id = @id;";
            update.AddParameter("@firmware", version.Trim());
            update.AddParameter("@id", deviceId);
            return await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return changed == 0
            ? Outcome<Device>.Refused(ProblemKind.NotFound, $"no device {deviceId}")
            : Outcome<Device>.Done((await FindAsync(deviceId, cancellationToken))!);
    }

    private static string? FirmwareProblem(string? version) =>
        version is { Length: > 64 } ? "a firmware version is at most 64 characters" : null;

    /// <summary>Every registered device with its current patient.</summary>
    public async Task<IReadOnlyList<Device>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryDevicesAsync(connection, deviceId: null, cancellationToken);
    }

    /// <summary>One device, or null.</summary>
    public async Task<Device?> FindAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, deviceId, cancellationToken);
    }

    private static async Task<Device?> FindAsync(DbConnection connection, string deviceId, CancellationToken cancellationToken) =>
        (await QueryDevicesAsync(connection, deviceId, cancellationToken)).SingleOrDefault();

    private static async Task<List<Device>> QueryDevicesAsync(
        DbConnection connection, string? deviceId, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT d.id, d.model, d.serial, d.created_at, d.revoked_at,
                   (SELECT a.patient_id FROM device_assignments a WHERE a.device_id = d.id AND a.ends_at IS NULL), d.firmware
            FROM devices d
            WHERE @id IS NULL OR d.id = @id
            ORDER BY d.id;
            """;
        query.AddParameter("@id", deviceId).DbType = DbType.String; // typed even when null, which PostgreSQL cannot infer from "@id IS NULL"
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var devices = new List<Device>();
        while (await reader.ReadAsync(cancellationToken))
        {
            devices.Add(new Device
            {
                Id = reader.GetString(0),
                Model = reader.GetString(1),
                Serial = reader.GetString(2),
                RegisteredAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                RevokedAt = reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                PatientId = reader.IsDBNull(5) ? null : reader.GetString(5),
                Firmware = reader.IsDBNull(6) ? null : reader.GetString(6),
            });
        }

        return devices;
    }

    private static async Task<Dictionary<string, ImmutableArray<AssignmentPeriod>>> ReadAssignmentsAsync(
        DbConnection connection, string? deviceId, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT device_id, patient_id, starts_at, ends_at FROM device_assignments
            WHERE @id IS NULL OR device_id = @id
            ORDER BY device_id, starts_at;
            """;
        query.AddParameter("@id", deviceId).DbType = DbType.String; // typed even when null, which PostgreSQL cannot infer from "@id IS NULL"
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var periods = new Dictionary<string, ImmutableArray<AssignmentPeriod>.Builder>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (!periods.TryGetValue(id, out var list))
            {
                periods[id] = list = ImmutableArray.CreateBuilder<AssignmentPeriod>();
            }

            list.Add(new AssignmentPeriod(
                reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        }

        return periods.ToDictionary(p => p.Key, p => p.Value.ToImmutable(), StringComparer.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex DeviceIdPattern();
}
