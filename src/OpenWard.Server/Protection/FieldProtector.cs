using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Protection;

/// <summary>
/// Encrypts patient names, medical record numbers, clinical notes, alert summaries and notes,
/// break-glass reasons and raw device payloads at rest with AES-256-GCM. Each value is sealed under the current data key with a fresh nonce and its
/// column as associated data (so a value cannot be moved to another column), stored as
/// <c>enc1:{keyId}:{base64(nonce | ciphertext | tag)}</c>. Data keys live in the database wrapped
/// by the key-encryption key from configuration or the key file. Lookups by medical record number
/// use a keyed HMAC ("blind index") instead of the clear value.
/// </summary>
/// <param name="database">The store holding the keys and the protected columns.</param>
/// <param name="options">Where the key file lies (the data directory).</param>
/// <param name="encryption">The key-encryption key, or the key file's name.</param>
/// <param name="clock">When keys are made and retired.</param>
/// <param name="columns">The protected columns the store holds: <see cref="ProtectedColumns"/>, unless it holds only some features' tables.</param>
public sealed class FieldProtector(
    ClinicalDatabase database, IOptions<OpenWardOptions> options, IOptions<EncryptionOptions> encryption, TimeProvider clock,
    IReadOnlyList<ProtectedColumn>? columns = null)
{
    private const string Prefix = "enc1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>Patients' names.</summary>
    public const string PatientName = "patients.display_name";

    /// <summary>Patients' medical record numbers (looked up through <see cref="Index"/>).</summary>
    public const string PatientMrn = "patients.mrn";

    /// <summary>Clinicians' notes and comments on alerts.</summary>
    public const string AlertNote = "alert_events.detail";

    /// <summary>Raw payloads kept with dead letters (an HL7 message names its patient).</summary>
    public const string DeadLetterPayload = "dead_letters.raw";

    /// <summary>People's one-time-password secrets.</summary>
    public const string TotpSecret = "users.totp_secret";

    /// <summary>The text of clinical notes.</summary>
    public const string ClinicalNoteText = "clinical_notes.text";

    /// <summary>Why a clinician opened a patient by break-glass.</summary>
    public const string BreakGlassReason = "break_glass.reason";

    /// <summary>What an alert is about, as its rule summed it up (e.g. the values that crossed a limit).</summary>
    public const string AlertSummary = "alerts.summary";

    /// <summary>Alert notices waiting for (or kept after) delivery: the alert with its summary.</summary>
    public const string AlertDeliveryPayload = "alert_deliveries.payload";

    /// <summary>
    /// Every protected column, with the key columns of its table: values found in clear are sealed at
    /// start, and rotation re-seals each, row by row.
    /// </summary>
    public static readonly IReadOnlyList<ProtectedColumn> ProtectedColumns =
    [
        new(PatientName, ["id"]),
        new(PatientMrn, ["id"]) { BlindIndex = "mrn_index" },
        new(AlertNote, ["id"]),
        new(DeadLetterPayload, ["id"]),
        new(TotpSecret, ["id"]),
        new(ClinicalNoteText, ["id"]),
        new(BreakGlassReason, ["id"]),
        new(AlertSummary, ["id"]),
        new(AlertDeliveryPayload, ["id"]),
    ];

    // Rows in encryption_keys saying that values written in clear by an older OpenWard have been sealed,
    // so that later starts do not scan those columns again: one per column (this purpose, the column as
    // id), and the single row with which OpenWard once marked the first six columns sealed together.
    // A column added to ProtectedColumns has no row yet, so its clear values are sealed at the next start.
    private const string ColumnSealed = "clear-values-sealed:column";
    private const string ClearValuesSealed = "clear-values-sealed";
    private static readonly string[] SealedByFirstMarker = [PatientName, PatientMrn, AlertNote, DeadLetterPayload, TotpSecret, ClinicalNoteText];

    private readonly IReadOnlyList<ProtectedColumn> protectedColumns = columns ?? ProtectedColumns;
    private readonly ConcurrentDictionary<string, byte[]> dataKeys = new(StringComparer.Ordinal);
    private string activeKeyId = "";
    private byte[] indexKey = [];

    /// <summary>Loads (or on first start creates) the keys, re-wraps them under a new KEK, and seals any value still in clear.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var kek = LoadKeyEncryptionKey();
        var sealedColumns = new HashSet<string>(StringComparer.Ordinal);
        var previous = encryption.Value.PreviousKeyEncryptionKey is { Length: > 0 } old ? Convert.FromBase64String(old) : null;
        // At start, before anything else writes; through the one write path all the same. In turn with
        // other nodes starting at once, so that the first start makes one data key and one index key.
        await database.WriteAsync(async connection =>
        {
            await database.TakeTurnAsync(connection, "encryption-keys", cancellationToken);
            await using (var query = connection.CreateCommand())
            {
                query.CommandText = "SELECT id, purpose, wrapped, retired_at FROM encryption_keys ORDER BY created_at, id;";
                await using var reader = await query.ExecuteReaderAsync(cancellationToken);
                var rewrapped = new List<(string Id, string Wrapped)>();
                while (await reader.ReadAsync(cancellationToken))
                {
                    var (id, purpose, wrapped) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                    if (purpose == ClearValuesSealed)
                    {
                        sealedColumns.UnionWith(SealedByFirstMarker);
                        continue;
                    }

                    if (purpose == ColumnSealed)
                    {
                        sealedColumns.Add(id);
                        continue;
                    }

                    var underCurrent = TryUnwrap(kek, id, wrapped);
                    var key = underCurrent ?? (previous is null ? null : TryUnwrap(previous, id, wrapped))
                        ?? throw new InvalidOperationException($"Encryption key {id} cannot be unwrapped with the configured key-encryption key; is OpenWard:Encryption set to the right key?");
                    if (underCurrent is null)
                    {
                        rewrapped.Add((id, Wrap(kek, id, key)));
                    }

                    if (purpose == "index")
                    {
                        indexKey = key;
                    }
                    else
                    {
                        dataKeys[id] = key;
                        if (reader.IsDBNull(3))
                        {
                            activeKeyId = id;
                        }
                    }
                }

                reader.Close();
                foreach (var (id, wrapped) in rewrapped)
                {
                    await ExecuteAsync(connection, "UPDATE encryption_keys SET wrapped = @wrapped WHERE id = @id;", cancellationToken, ("@id", id), ("@wrapped", wrapped));
                }
            }

            if (indexKey.Length == 0)
            {
                indexKey = await AddKeyAsync(connection, kek, "index", cancellationToken);
            }

            if (activeKeyId.Length == 0)
            {
                await AddKeyAsync(connection, kek, "data", cancellationToken);
            }

            foreach (var column in protectedColumns.Where(c => !sealedColumns.Contains(c.Name)))
            {
                await ResealAsync(connection, [column], onlyClear: true, cancellationToken);
                await ExecuteAsync(connection, "INSERT INTO encryption_keys (id, purpose, wrapped, created_at) VALUES (@id, @purpose, '', @now);",
                    cancellationToken, ("@id", column.Name), ("@purpose", ColumnSealed), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
            }
        }, cancellationToken);
    }

    /// <summary>Seals a value for a column; null stays null.</summary>
    public string? Protect(string? value, string column)
    {
        if (value is null)
        {
            return null;
        }

        var key = dataKeys[activeKeyId];
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(column));
        return $"{Prefix}{activeKeyId}:{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>Opens a sealed value of a column; a value still in clear (written before encryption) is returned as it is.</summary>
    public string? Unprotect(string? stored, string column)
    {
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored;
        }

        var separator = stored.IndexOf(':', Prefix.Length);
        var key = dataKeys[stored[Prefix.Length..separator]];
        var sealedBytes = Convert.FromBase64String(stored[(separator + 1)..]);
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), plain, Encoding.UTF8.GetBytes(column));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The blind index of an identifier: equal identifiers give equal indexes, and the index reveals nothing without the key.</summary>
    public string Index(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(indexKey, Encoding.UTF8.GetBytes(value)));

    /// <summary>Rotates the data key: a new key seals everything from now on, and every stored value is re-sealed under it.</summary>
    public async Task<string> RotateAsync(CancellationToken cancellationToken)
    {
        var previous = activeKeyId;
        try
        {
            await database.WriteAsync(async connection =>
            {
                await AddKeyAsync(connection, LoadKeyEncryptionKey(), "data", cancellationToken);
                await ExecuteAsync(connection, "UPDATE encryption_keys SET retired_at = @now WHERE id = @id;", cancellationToken,
                    ("@id", previous), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
                await ResealAsync(connection, protectedColumns, onlyClear: false, cancellationToken);
            }, cancellationToken);
        }
        catch
        {
            // The new key was never stored: keep sealing under the previous one. Retired keys are kept, so values sealed meanwhile still open.
            activeKeyId = previous;
            throw;
        }

        return activeKeyId;
    }

    /// <summary>
    /// Seals a key that another feature keeps in the store (the token keys) under the key-encryption
    /// key, as the data keys are. The seal is bound to <paramref name="keyId"/>: it opens under that id only.
    /// </summary>
    public string SealKey(string keyId, byte[] key) => Wrap(LoadKeyEncryptionKey(), keyId, key);

    /// <summary>
    /// Opens a key sealed by <see cref="SealKey"/>: under the key-encryption key, or under the previous
    /// one while it is being replaced — then <c>Reseal</c> is true, and the caller stores the key sealed
    /// again, as the data keys are re-wrapped at start.
    /// </summary>
    public (byte[] Key, bool Reseal) OpenKey(string keyId, string sealedKey)
    {
        if (TryUnwrap(LoadKeyEncryptionKey(), keyId, sealedKey) is { } key)
        {
            return (key, false);
        }

        var previous = encryption.Value.PreviousKeyEncryptionKey is { Length: > 0 } old ? Convert.FromBase64String(old) : null;
        return previous is not null && TryUnwrap(previous, keyId, sealedKey) is { } underPrevious
            ? (underPrevious, true)
            : throw new InvalidOperationException($"Key {keyId} cannot be unwrapped with the configured key-encryption key; is OpenWard:Encryption set to the right key?");
    }

    private async Task<byte[]> AddKeyAsync(DbConnection connection, byte[] kek, string purpose, CancellationToken cancellationToken)
    {
        var id = "key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var key = RandomNumberGenerator.GetBytes(32);
        await ExecuteAsync(connection, "INSERT INTO encryption_keys (id, purpose, wrapped, created_at) VALUES (@id, @purpose, @wrapped, @now);",
            cancellationToken, ("@id", id), ("@purpose", purpose), ("@wrapped", Wrap(kek, id, key)), ("@now", clock.GetUtcNow().ToUnixTimeMilliseconds()));
        if (purpose == "data")
        {
            dataKeys[id] = key;
            activeKeyId = id;
        }

        return key;
    }

    // Seals values in clear (first start after an upgrade), or re-seals everything under the active key (rotation),
    // writing each value back to the row its table's key columns name.
    private async Task ResealAsync(
        DbConnection connection, IReadOnlyList<ProtectedColumn> columns, bool onlyClear, CancellationToken cancellationToken)
    {
        foreach (var protectedColumn in columns)
        {
            var (table, column, key) = (protectedColumn.Table, protectedColumn.Column, protectedColumn.Key);
            var rows = new List<(object[] Key, string Value)>();
            await using (var query = connection.CreateCommand())
            {
                // The sealed prefix is compared as text rather than with LIKE, which ignores case on SQLite and not on PostgreSQL.
                query.CommandText = $"SELECT {string.Join(", ", key)}, {column} FROM {table} WHERE {column} IS NOT NULL AND substr({column}, 1, length(@sealed)) <> @sealed;";
                query.AddParameter("@sealed", onlyClear ? Prefix : $"{Prefix}{activeKeyId}:");
                await using var reader = await query.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var keyValues = Enumerable.Range(0, key.Count).Select(reader.GetValue).ToArray();
                    rows.Add((keyValues, reader.GetString(key.Count)));
                }
            }

            var assignments = protectedColumn.BlindIndex is { } index ? $"{column} = @value, {index} = @index" : $"{column} = @value";
            var row = string.Join(" AND ", key.Select((name, i) => $"{name} = @key{i}"));
            foreach (var (keyValues, value) in rows)
            {
                var clear = Unprotect(value, protectedColumn.Name)!;
                var parameters = new List<(string Name, object? Value)> { ("@value", Protect(clear, protectedColumn.Name)) };
                if (protectedColumn.BlindIndex is not null)
                {
                    parameters.Add(("@index", Index(clear)));
                }

                parameters.AddRange(keyValues.Select((keyValue, i) => ($"@key{i}", (object?)keyValue)));
                await ExecuteAsync(connection, $"UPDATE {table} SET {assignments} WHERE {row};", cancellationToken, [.. parameters]);
            }
        }
    }

    private byte[] LoadKeyEncryptionKey()
    {
        var configured = encryption.Value;
        if (configured.KeyEncryptionKey is { Length: > 0 } base64)
        {
            var key = Convert.FromBase64String(base64);
            return key.Length == 32 ? key : throw new InvalidOperationException("OpenWard:Encryption:KeyEncryptionKey must be 32 bytes in base64");
        }

        var path = Path.Combine(options.Value.DataPath, configured.KeyFile);
        if (!File.Exists(path))
        {
            DataDirectory.WriteOwnerOnly(path, RandomNumberGenerator.GetBytes(32));
        }

        return File.ReadAllBytes(path);
    }

    private static string Wrap(byte[] kek, string keyId, byte[] key)
    {
        var wrapped = new byte[NonceBytes + key.Length + TagBytes];
        RandomNumberGenerator.Fill(wrapped.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(kek, TagBytes);
        aes.Encrypt(wrapped.AsSpan(0, NonceBytes), key, wrapped.AsSpan(NonceBytes, key.Length), wrapped.AsSpan(NonceBytes + key.Length), Encoding.UTF8.GetBytes(keyId));
        return Convert.ToBase64String(wrapped);
    }

    private static byte[]? TryUnwrap(byte[] kek, string keyId, string wrapped)
    {
        var bytes = Convert.FromBase64String(wrapped);
        var key = new byte[bytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(kek, TagBytes);
            aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes, key.Length), bytes.AsSpan(NonceBytes + key.Length), key, Encoding.UTF8.GetBytes(keyId));
            return key;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value ?? DBNull.Value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
