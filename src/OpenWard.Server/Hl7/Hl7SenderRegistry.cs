using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenWard.Server.Devices;
using OpenWard.Server.People;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Hl7;

/// <summary>
/// The registered HL7 senders, in the store and mirrored in memory, where the MLLP listeners look
/// each connection's certificate up and check before every message that its sender is still active.
/// Every committed change reaches the other nodes sharing the store through a signal
/// (<see cref="StoreSignals"/>), on which each reloads the sender: a sender revoked through one node is
/// refused by every node from its next message on.
/// </summary>
public sealed partial class Hl7SenderRegistry(
    ClinicalDatabase database, DeviceDirectory devices, CareTeams careTeams, StoreSignals signals, TimeProvider clock)
{
    private const string Topic = "hl7-sender";

    private readonly ConcurrentDictionary<string, Hl7Sender> senders = new(StringComparer.Ordinal);

    // One change at a time, so the store and the copy in memory never disagree (a change racing a revocation
    // could otherwise bring a revoked sender back in memory).
    private readonly SemaphoreSlim changing = new(1, 1);

    /// <summary>
    /// What an administrator says about a sender: its certificate and what it may submit for. In a
    /// change, a field left out (null) is kept, and an empty certificate removes the pin.
    /// </summary>
    public sealed record Registration(string? CertificatePem, IReadOnlyList<string>? Devices, IReadOnlyList<string>? CareTeams);

    /// <summary>Loads every sender; called at start, and again when this node may have missed other nodes' changes.</summary>
    public Task LoadAsync(CancellationToken cancellationToken) => LoadAsync(name: null, cancellationToken);

    /// <summary>Keeps this node's senders up to date with the changes other nodes make; called once at start.</summary>
    public void ListenToOtherNodes() => signals.Listen(Topic, (signal, ct) => LoadAsync(signal.Subject, ct), LoadAsync);

    // Loads one sender, or every sender, from the store.
    private async Task LoadAsync(string? name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT name, certificate_sha256, devices, care_teams, created_at, revoked_at FROM hl7_senders"
            + (name is null ? ";" : " WHERE name = @name;");
        if (name is not null)
        {
            query.AddParameter("@name", name);
        }

        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sender = Read(reader);
            senders[sender.Name] = sender;
        }
    }

    /// <summary>Every sender, revoked ones included, by name.</summary>
    public IReadOnlyList<Hl7Sender> List() => [.. senders.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>The active sender with this name, or null.</summary>
    public Hl7Sender? FindActive(string name) => senders.TryGetValue(name, out var sender) && sender.RevokedAt is null ? sender : null;

    /// <summary>The active sender that presents this certificate, or null.</summary>
    public Hl7Sender? FindByCertificate(string certificateSha256) =>
        senders.Values.FirstOrDefault(s => s.RevokedAt is null && s.CertificateSha256 == certificateSha256);

    /// <summary>Registers a sender.</summary>
    public async Task<Outcome<Hl7Sender>> AddAsync(string name, Registration registration, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            return Outcome<Hl7Sender>.Refused(ProblemKind.Invalid, "sender name must be 1 to 64 letters, digits, '.', '_' or '-'");
        }

        var checkedRegistration = await CheckAsync(registration, keptCertificate: null, cancellationToken);
        if (checkedRegistration.Problem != ProblemKind.None)
        {
            return checkedRegistration;
        }

        var sender = checkedRegistration.Value! with { Name = name };
        await changing.WaitAsync(cancellationToken);
        try
        {
            return await InsertAsync(sender, cancellationToken);
        }
        finally
        {
            changing.Release();
        }
    }

    private async Task<Outcome<Hl7Sender>> InsertAsync(Hl7Sender sender, CancellationToken cancellationToken)
    {
        var name = sender.Name;
        int inserted;
        try
        {
            inserted = await database.WriteAsync(async connection =>
            {
                await using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO hl7_senders (name, certificate_sha256, devices, care_teams, created_at)
                    VALUES (@name, @certificate, @devices, @careTeams, @created) ON CONFLICT (name) DO NOTHING;
                    """;
                Bind(insert, sender);
                insert.AddParameter("@created", sender.RegisteredAt.ToUnixTimeMilliseconds());
                return await insert.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
        }
        catch (DbException e) when (e.IsConstraintViolation())
        {
            return CertificateInUse();
        }

        if (inserted == 0)
        {
            return Outcome<Hl7Sender>.Refused(ProblemKind.Conflict, $"an HL7 sender named {name} is already registered (revoked names are not reused)");
        }

        senders[name] = sender;
        await signals.SendAsync(Topic, name, cancellationToken);
        return Outcome<Hl7Sender>.Done(sender);
    }

    /// <summary>Changes an active sender's certificate or what it may submit for; takes effect with its next message.</summary>
    public async Task<Outcome<Hl7Sender>> ChangeAsync(string name, Registration change, CancellationToken cancellationToken)
    {
        await changing.WaitAsync(cancellationToken);
        try
        {
            if (FindActive(name) is not { } current)
            {
                return Outcome<Hl7Sender>.Refused(ProblemKind.NotFound, $"no active HL7 sender named {name}");
            }

            var checkedRegistration = await CheckAsync(
                new Registration(change.CertificatePem, change.Devices ?? current.Devices, change.CareTeams ?? current.CareTeams),
                keptCertificate: change.CertificatePem is null ? current.CertificateSha256 : null,
                cancellationToken);
            if (checkedRegistration.Problem != ProblemKind.None)
            {
                return checkedRegistration;
            }

            var sender = checkedRegistration.Value! with { Name = name, RegisteredAt = current.RegisteredAt };
            int changed;
            try
            {
                changed = await database.WriteAsync(async connection =>
                {
                    await using var update = connection.CreateCommand();
                    update.CommandText = """
                        UPDATE hl7_senders SET certificate_sha256 = @certificate, devices = @devices, care_teams = @careTeams
                        WHERE name = @name AND revoked_at IS NULL;
                        """;
                    Bind(update, sender);
                    return await update.ExecuteNonQueryAsync(cancellationToken);
                }, cancellationToken);
            }
            catch (DbException e) when (e.IsConstraintViolation())
            {
                return CertificateInUse();
            }

            if (changed == 0)
            {
                return Outcome<Hl7Sender>.Refused(ProblemKind.NotFound, $"no active HL7 sender named {name}");
            }

            senders[name] = sender;
            await signals.SendAsync(Topic, name, cancellationToken);
            return Outcome<Hl7Sender>.Done(sender);
        }
        finally
        {
            changing.Release();
        }
    }

    /// <summary>Revokes a sender: its open connections are refused from their next message on.</summary>
    public async Task<Outcome<Hl7Sender>> RevokeAsync(string name, CancellationToken cancellationToken)
    {
        await changing.WaitAsync(cancellationToken);
        try
        {
            if (!senders.TryGetValue(name, out var current))
            {
                return Outcome<Hl7Sender>.Refused(ProblemKind.NotFound, $"no HL7 sender named {name}");
            }

            var revoked = current with { RevokedAt = current.RevokedAt ?? clock.GetUtcNow() };
            await database.WriteAsync(async connection =>
            {
                await using var update = connection.CreateCommand();
                update.CommandText = "UPDATE hl7_senders SET revoked_at = coalesce(revoked_at, @now) WHERE name = @name;";
                update.AddParameter("@now", revoked.RevokedAt!.Value.ToUnixTimeMilliseconds());
                update.AddParameter("@name", name);
                await update.ExecuteNonQueryAsync(cancellationToken);
            }, cancellationToken);
            senders[name] = revoked;
            await signals.SendAsync(Topic, name, cancellationToken);
            return Outcome<Hl7Sender>.Done(revoked);
        }
        finally
        {
            changing.Release();
        }
    }

    /// <summary>
    /// Checks a registration: a certificate that parses and is not another device's or sender's,
    /// devices and care teams that exist. Without a certificate, <paramref name="keptCertificate"/> stays pinned.
    /// </summary>
    private async Task<Outcome<Hl7Sender>> CheckAsync(Registration registration, string? keptCertificate, CancellationToken cancellationToken)
    {
        var fingerprint = keptCertificate;
        if (registration.CertificatePem is { Length: > 0 } pem && (fingerprint = CertificatePin.FingerprintOfPem(pem)) is null)
        {
            return Outcome<Hl7Sender>.Refused(ProblemKind.Invalid, "certificatePem is not a PEM-encoded X.509 certificate");
        }

        if (fingerprint is not null && devices.DeviceWithCertificate(fingerprint) is not null)
        {
            return CertificateInUse();
        }

        var deviceIds = (registration.Devices ?? []).Distinct(StringComparer.Ordinal).ToList();
        var teamIds = (registration.CareTeams ?? []).Distinct(StringComparer.Ordinal).ToList();
        if (deviceIds.Count == 0 && teamIds.Count == 0)
        {
            return Outcome<Hl7Sender>.Refused(ProblemKind.Invalid, "name at least one device or care team the sender may submit readings for");
        }

        if (deviceIds.FirstOrDefault(id => !devices.Knows(id)) is { } unknownDevice)
        {
            return Outcome<Hl7Sender>.Refused(ProblemKind.Invalid, $"no device with id {unknownDevice} is registered");
        }

        var teams = (await careTeams.ListAsync(cancellationToken)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        if (teamIds.FirstOrDefault(id => !teams.Contains(id)) is { } unknownTeam)
        {
            return Outcome<Hl7Sender>.Refused(ProblemKind.Invalid, $"no care team with id {unknownTeam}");
        }

        return Outcome<Hl7Sender>.Done(new Hl7Sender
        {
            Name = "", CertificateSha256 = fingerprint, Devices = deviceIds, CareTeams = teamIds, RegisteredAt = clock.GetUtcNow(),
        });
    }

    private static Outcome<Hl7Sender> CertificateInUse() =>
        Outcome<Hl7Sender>.Refused(ProblemKind.Conflict, "this certificate is already pinned for another HL7 sender or device; each needs its own");

    private static void Bind(DbCommand command, Hl7Sender sender)
    {
        command.AddParameter("@name", sender.Name);
        command.AddParameter("@certificate", (object?)sender.CertificateSha256 ?? DBNull.Value);
        command.AddParameter("@devices", JsonSerializer.Serialize(sender.Devices));
        command.AddParameter("@careTeams", JsonSerializer.Serialize(sender.CareTeams));
    }

    private static Hl7Sender Read(DbDataReader reader) => new()
    {
        Name = reader.GetString(0),
        CertificateSha256 = reader.IsDBNull(1) ? null : reader.GetString(1),
        Devices = JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [],
        CareTeams = JsonSerializer.Deserialize<string[]>(reader.GetString(3)) ?? [],
        RegisteredAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        RevokedAt = reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
    };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
