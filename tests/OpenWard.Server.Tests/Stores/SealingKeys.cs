using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// A field protector for the conformance tests of stores that seal columns (alert summaries and notes,
/// deliveries, clinical notes, dead letters). Its keys are kept in a SQLite store of their own: sealing
/// and opening happen in memory once the keys are loaded, so the one protector serves a store on either
/// engine, while the encryption keys' table and the key rotation are not on PostgreSQL yet.
/// </summary>
public sealed class SealingKeys : IAsyncDisposable
{
    private readonly StoreEngine keyStore;

    private SealingKeys(StoreEngine keyStore, FieldProtector protector)
    {
        this.keyStore = keyStore;
        Protector = protector;
    }

    /// <summary>The protector, its keys loaded.</summary>
    public FieldProtector Protector { get; }

    /// <summary>New keys, under a key-encryption key of the test's own.</summary>
    public static async Task<SealingKeys> CreateAsync()
    {
        var keyStore = await StoreEngine.CreateAsync("sqlite", [.. StoreSchemas.Every]);
        var encryption = new EncryptionOptions { KeyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var protector = new FieldProtector(keyStore.Database, Options.Create(new OpenWardOptions()), Options.Create(encryption), TimeProvider.System);
        await protector.PrepareAsync(TestContext.Current.CancellationToken);
        return new SealingKeys(keyStore, protector);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => keyStore.DisposeAsync();
}
