using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// The keys that sign and encrypt tokens, in the store (<c>token_keys</c>) so that every node sharing
/// it issues and accepts the same tokens; each private key sealed by the key-encryption key that seals
/// the data keys (<see cref="FieldProtector.SealKey"/>). The first node to start makes them — or moves
/// an older OpenWard's key files into the store (<see cref="TokenKeyFiles"/>) — and every change
/// (<see cref="TokenKeyPlan"/>) is made under the <c>token-keys</c> turn after looking again, so that
/// nodes starting or rotating at once end with one set.
/// </summary>
public sealed partial class TokenKeyStore(
    ClinicalDatabase database, FieldProtector protector, IOptions<OpenWardOptions> host, IOptions<SignInOptions> signIn,
    TimeProvider clock, ILogger<TokenKeyStore> logger)
{
    private const string Turn = "token-keys";

    private TimeSpan RotateAfter => TimeSpan.FromDays(signIn.Value.SigningKeyDays);

    /// <summary>
    /// At start: the keys, made if no node has made them yet (from this node's key files if an older
    /// OpenWard left some), the signing key rotated if it is due. Key files left in the data directory
    /// are deleted once the store holds the keys.
    /// </summary>
    public async Task<IReadOnlyList<TokenKey>> PrepareAsync(CancellationToken cancellationToken)
    {
        var (fromFiles, files) = TokenKeyFiles.Read(host.Value.DataPath, Now());
        var (keys, imported) = await UpdateAsync(fromFiles, cancellationToken);
        if (files.Count > 0)
        {
            TokenKeyFiles.Delete(files);
            if (imported)
            {
                LogFilesImported(logger, files.Count);
            }
            else
            {
                LogFilesUnused(logger, files.Count);
            }
        }

        return keys;
    }

    /// <summary>
    /// The keys as the store holds them now, after rotating the signing key if it is due and deleting
    /// retired keys past their two days; a round that finds nothing due only reads.
    /// </summary>
    public async Task<IReadOnlyList<TokenKey>> RefreshAsync(CancellationToken cancellationToken) =>
        (await UpdateAsync([], cancellationToken)).Keys;

    /// <summary>
    /// Rotates the signing key now: it retires (still trusted for two days), the next key signs, and
    /// a new next key is published. Refused within <paramref name="settle"/> of the last rotation: the
    /// key that would sign is the one that rotation published, which other nodes learn only at their
    /// next refresh.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<TokenKey>>> RotateAsync(TimeSpan settle, CancellationToken cancellationToken)
    {
        var asked = (await ReadAsync(cancellationToken)).Keys;
        var lastRotation = asked.Where(k => k.State == TokenKey.Retired).Select(k => k.Since).DefaultIfEmpty().Max();
        if (lastRotation + settle > Now())
        {
            return Outcome<IReadOnlyList<TokenKey>>.Refused(ProblemKind.Conflict,
                $"The signing key was rotated less than {settle.TotalSeconds:0} seconds ago, and other nodes may not know the key that would sign next yet; try again after that.");
        }

        // Rotates the key that signed when it was asked: if another node rotated it since, that rotation is this one.
        return Outcome<IReadOnlyList<TokenKey>>.Done((await UpdateAsync([], cancellationToken, rotateFrom: CurrentSigningKey(asked))).Keys);
    }

    // rotateFrom: the signing key a rotation was asked for against (none: no rotation asked).
    private async Task<(IReadOnlyList<TokenKey> Keys, bool Imported)> UpdateAsync(
        IReadOnlyList<TokenKey> fromFiles, CancellationToken cancellationToken, string? rotateFrom = null)
    {
        var rotate = rotateFrom is not null;
        // A look first, on a read connection: most rounds find nothing to do. The signing keys a change
        // needs are made now, outside the write, since making an RSA key takes a moment.
        var seen = await ReadAsync(cancellationToken);
        var made = new Queue<TokenKey>();
        var look = TokenKeyPlan.For(seen.Keys, fromFiles, Now(), RotateAfter, rotate, () =>
        {
            var key = TokenKey.NewSigning(TokenKey.Next, Now());
            made.Enqueue(key);
            return key;
        });
        if (look.IsEmpty && seen.Resealed.Count == 0)
        {
            return (look.Keys, false);
        }

        return await database.WriteAsync(async connection =>
        {
            await database.TakeTurnAsync(connection, Turn, cancellationToken);
            // Another node may have made the same change meanwhile: plan again on what the store holds now.
            var stored = await ReadAsync(connection, cancellationToken);
            // A rotation asked for while another node rotated is already done.
            var rotateNow = rotate && CurrentSigningKey(stored.Keys) == rotateFrom;
            var plan = TokenKeyPlan.For(stored.Keys, fromFiles, Now(), RotateAfter, rotateNow,
                () => made.TryDequeue(out var key) ? key : TokenKey.NewSigning(TokenKey.Next, Now()));
            foreach (var key in plan.Deleted)
            {
                await ExecuteAsync(connection, "DELETE FROM token_keys WHERE id = @id;", key, cancellationToken);
            }

            // Every key written is sealed under the current key-encryption key: those still under the previous one are sealed again.
            var kept = plan.Keys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
            var resealed = stored.Resealed.Where(k => kept.Contains(k.Id) && !plan.Changed.Exists(c => c.Id == k.Id));
            foreach (var key in plan.Changed.Concat(resealed))
            {
                await ExecuteAsync(connection, "UPDATE token_keys SET state = @state, since = @since, sealed_key = @sealed WHERE id = @id;", key, cancellationToken);
            }

            foreach (var key in plan.Added)
            {
                await ExecuteAsync(connection,
                    "INSERT INTO token_keys (id, purpose, state, sealed_key, since) VALUES (@id, @purpose, @state, @sealed, @since);", key, cancellationToken);
            }

            return (plan.Keys, stored.Keys.Count == 0 && fromFiles.Count > 0);
        }, cancellationToken);
    }

    private async Task<StoredKeys> ReadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadAsync(connection, cancellationToken);
    }

    private async Task<StoredKeys> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, purpose, state, sealed_key, since FROM token_keys ORDER BY since, id;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var keys = new List<TokenKey>();
        var resealed = new List<TokenKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            var (material, reseal) = protector.OpenKey(SealedAs(id), reader.GetString(3));
            var key = new TokenKey(id, reader.GetString(1), reader.GetString(2), material, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)));
            keys.Add(key);
            if (reseal)
            {
                resealed.Add(key);
            }
        }

        return new StoredKeys(keys, resealed);
    }

    private async Task ExecuteAsync(DbConnection connection, string statement, TokenKey key, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        command.AddParameter("@id", key.Id);
        command.AddParameter("@purpose", key.Purpose);
        command.AddParameter("@state", key.State);
        command.AddParameter("@sealed", protector.SealKey(SealedAs(key.Id), key.Material));
        command.AddParameter("@since", key.Since.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string? CurrentSigningKey(IEnumerable<TokenKey> keys) =>
        keys.FirstOrDefault(k => k.Purpose == TokenKey.ForSigning && k.State == TokenKey.Current)?.Id;

    // The seal names the table as well as the key, so that a data key's seal cannot pass for a token key's.
    private static string SealedAs(string id) => $"token_keys:{id}";

    // Whole milliseconds, as the store keeps them, so that a plan on keys just read agrees with one on keys just made.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());

    private sealed record StoredKeys(IReadOnlyList<TokenKey> Keys, IReadOnlyList<TokenKey> Resealed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved the token keys of {Files} key files in the data directory into the store, and deleted the files")]
    private static partial void LogFilesImported(ILogger logger, int files);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Deleted {Files} token key files from the data directory: the store already held token keys (made by another node), so tokens signed with this node's old keys are no longer accepted")]
    private static partial void LogFilesUnused(ILogger logger, int files);
}
