using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Field protectors for the conformance tests of stores that seal columns, their keys kept in the
/// <c>encryption_keys</c> table of the store under test (<see cref="EncryptionSchema"/>), as the server keeps them.
/// </summary>
public static class SealingKeys
{
    /// <summary>A new key-encryption key, in base64 as configuration holds it.</summary>
    public static string NewKeyEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The protected columns of <paramref name="tables"/>: for a store that holds only some features' tables.</summary>
    public static IReadOnlyList<ProtectedColumn> Of(params string[] tables) =>
        [.. FieldProtector.ProtectedColumns.Where(c => tables.Contains(c.Table))];

    /// <summary>
    /// A field protector on <paramref name="database"/>, started as the server starts it (its keys loaded, or
    /// made on the first start; values in clear sealed), sealing <paramref name="columns"/> (default: every
    /// protected column, for a store with every feature's tables) under a new key-encryption key unless given one.
    /// </summary>
    public static async Task<FieldProtector> StartProtectorAsync(
        ClinicalDatabase database, TimeProvider clock, IReadOnlyList<ProtectedColumn>? columns = null,
        string? keyEncryptionKey = null, string? previousKeyEncryptionKey = null)
    {
        var encryption = new EncryptionOptions
        {
            KeyEncryptionKey = keyEncryptionKey ?? NewKeyEncryptionKey(),
            PreviousKeyEncryptionKey = previousKeyEncryptionKey,
        };
        var protector = new FieldProtector(database, Options.Create(new OpenWardOptions()), Options.Create(encryption), clock, columns);
        await protector.PrepareAsync(TestContext.Current.CancellationToken);
        return protector;
    }
}
