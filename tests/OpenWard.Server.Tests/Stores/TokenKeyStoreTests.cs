using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Hosting;
using OpenWard.Server.Identity;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// The token keys in the store behave the same on SQLite and on PostgreSQL: nodes preparing at once end
/// with one set, a rotation on one node signs with the key every node already trusts, rotations asked at
/// once rotate once, the signing key is replaced when due and retired keys go two days on, the keys are
/// sealed again under a new key-encryption key, and an older OpenWard's key files are moved in once.
/// </summary>
public sealed class TokenKeyStoreTests
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly FeatureSchema[] Tables = [IdentitySchema.Definition];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoNodesPreparingAtOnce_EndWithOneKeySet(string engine)
    {
        await using var nodes = await TwoNodes.CreateAsync(engine);
        var (store, clock, a, b) = (nodes.Store, nodes.Clock, nodes.A, nodes.B);

        var prepared = await Task.WhenAll(a.PrepareAsync(TestContext.Current.CancellationToken), b.PrepareAsync(TestContext.Current.CancellationToken));

        Assert.Equal(TokenKeySet.VersionOf(prepared[0]), TokenKeySet.VersionOf(prepared[1]));
        Assert.Equal(3L, await CountAsync(store.Database, "1 = 1"));
        Assert.Equal(1L, await CountAsync(store.Database, "purpose = 'signing' AND state = 'current'"));
        Assert.Equal(1L, await CountAsync(store.Database, "purpose = 'signing' AND state = 'next'"));
        Assert.Equal(1L, await CountAsync(store.Database, "purpose = 'encryption' AND state = 'current'"));
        Assert.Equal(TokenKeySet.VersionOf(prepared[0]), TokenKeySet.VersionOf(await b.RefreshAsync(TestContext.Current.CancellationToken)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ARotationOnOneNode_SignsWithTheKeyEveryNodeAlreadyTrusts_AndTwoAtOnceRotateOnce(string engine)
    {
        await using var nodes = await TwoNodes.CreateAsync(engine);
        var (store, clock, a, b) = (nodes.Store, nodes.Clock, nodes.A, nodes.B);
        var before = TokenKeySet.From(await a.PrepareAsync(TestContext.Current.CancellationToken));
        var seenByB = TokenKeySet.From(await b.PrepareAsync(TestContext.Current.CancellationToken));
        clock.Advance(TimeSpan.FromMinutes(10));

        var rotations = await Task.WhenAll(
            a.RotateAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken),
            b.RotateAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken));

        // The one that comes second finds the rotation made: done with the same keys, or refused as too soon after it.
        var done = rotations.Where(r => r.Value is not null).Select(r => TokenKeySet.From(r.Value!)).ToList();
        Assert.NotEmpty(done);
        Assert.All(rotations.Where(r => r.Value is null), r => Assert.Equal(ProblemKind.Conflict, r.Problem));
        var after = done[0];
        Assert.All(done, set => Assert.Equal(after.Version, set.Version));
        Assert.Contains(seenByB.Trusted, key => key.KeyId == after.Signing.KeyId);
        Assert.Contains(after.Trusted, key => key.KeyId == before.Signing.KeyId);
        Assert.Equal(1L, await CountAsync(store.Database, "state = 'retired'"));
        Assert.Equal(4L, await CountAsync(store.Database, "1 = 1"));

        clock.Advance(TimeSpan.FromMinutes(1));
        var tooSoon = await a.RotateAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.Null(tooSoon.Value);
        Assert.Equal(ProblemKind.Conflict, tooSoon.Problem);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheSigningKey_IsReplacedWhenDue_AndARetiredKeyIsDeletedTwoDaysOn(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var clock = new FakeTimeProvider(Morning);
        var node = Node(store.Database, store.DataDirectory, clock, SealingKeys.NewKeyEncryptionKey());
        var first = TokenKeySet.From(await node.PrepareAsync(TestContext.Current.CancellationToken));

        clock.Advance(TimeSpan.FromDays(new SignInOptions().SigningKeyDays) - TimeSpan.FromMinutes(1));
        Assert.Equal(first.Version, TokenKeySet.From(await node.RefreshAsync(TestContext.Current.CancellationToken)).Version);
        clock.Advance(TimeSpan.FromMinutes(1));
        var rotated = TokenKeySet.From(await node.RefreshAsync(TestContext.Current.CancellationToken));
        Assert.Equal(first.Trusted[1].KeyId, rotated.Signing.KeyId);
        Assert.Contains(rotated.Trusted, key => key.KeyId == first.Signing.KeyId);

        clock.Advance(TokenKeyPlan.RetiredKeysKept);
        var later = TokenKeySet.From(await node.RefreshAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(later.Trusted, key => key.KeyId == first.Signing.KeyId);
        Assert.Equal(rotated.Signing.KeyId, later.Signing.KeyId);
        Assert.Equal(0L, await CountAsync(store.Database, "state = 'retired'"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheKeys_AreSealed_AndSealedAgainUnderANewKeyEncryptionKey(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var clock = new FakeTimeProvider(Morning);
        var (old, replacement) = (SealingKeys.NewKeyEncryptionKey(), SealingKeys.NewKeyEncryptionKey());
        var keys = await Node(store.Database, store.DataDirectory, clock, old).PrepareAsync(TestContext.Current.CancellationToken);
        var encryption = keys.Single(k => k.Purpose == TokenKey.ForEncryption);
        var sealedBefore = (string)(await StoredValues.ScalarAsync(store.Database, "SELECT sealed_key FROM token_keys WHERE id = @id;", ("@id", encryption.Id)))!;
        Assert.DoesNotContain(Convert.ToBase64String(encryption.Material), sealedBefore, StringComparison.Ordinal);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Node(store.Database, store.DataDirectory, clock, replacement).PrepareAsync(TestContext.Current.CancellationToken));
        var resealed = await Node(store.Database, store.DataDirectory, clock, replacement, old).PrepareAsync(TestContext.Current.CancellationToken);
        var afterwards = await Node(store.Database, store.DataDirectory, clock, replacement).PrepareAsync(TestContext.Current.CancellationToken);

        Assert.Equal(TokenKeySet.VersionOf(keys), TokenKeySet.VersionOf(resealed));
        Assert.Equal(encryption.Material, afterwards.Single(k => k.Purpose == TokenKey.ForEncryption).Material);
        Assert.NotEqual(sealedBefore, await StoredValues.ScalarAsync(store.Database, "SELECT sealed_key FROM token_keys WHERE id = @id;", ("@id", encryption.Id)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnOlderOpenWardsKeyFiles_AreMovedIntoTheStoreOnce_AndAnotherNodesAreDeletedUnused(string engine)
    {
        await using var nodes = await TwoNodes.CreateAsync(engine);
        var (signingKid, retiredKid, encryptionKey) = WriteOldKeyFiles(nodes.Store.DataDirectory, retiredAt: Morning.AddDays(-1));
        var otherNodesFiles = WriteOldKeyFiles(nodes.SecondDataDirectory, retiredAt: Morning.AddDays(-1));

        var imported = TokenKeySet.From(await nodes.A.PrepareAsync(TestContext.Current.CancellationToken));
        var seenByOtherNode = TokenKeySet.From(await nodes.B.PrepareAsync(TestContext.Current.CancellationToken));

        Assert.Equal(signingKid, imported.Signing.KeyId);
        Assert.Contains(imported.Trusted, key => key.KeyId == retiredKid);
        Assert.Equal(encryptionKey, imported.Encryption.Key);
        Assert.Equal(imported.Version, seenByOtherNode.Version);
        Assert.DoesNotContain(seenByOtherNode.Trusted, key => key.KeyId == otherNodesFiles.SigningKid);
        Assert.Empty(Directory.GetFiles(nodes.Store.DataDirectory, "token-*"));
        Assert.Empty(Directory.GetFiles(nodes.SecondDataDirectory, "token-*"));
        Assert.Equal(4L, await CountAsync(nodes.Store.Database, "1 = 1"));
    }

    private static TokenKeyStore Node(ClinicalDatabase database, string dataDirectory, TimeProvider clock, string kek, string? previousKek = null)
    {
        var host = Options.Create(new OpenWardOptions { DataDirectory = dataDirectory });
        var protector = new FieldProtector(database, host, Options.Create(new EncryptionOptions { KeyEncryptionKey = kek, PreviousKeyEncryptionKey = previousKek }), clock);
        return new TokenKeyStore(database, protector, host, Options.Create(new SignInOptions()), clock, NullLogger<TokenKeyStore>.Instance);
    }

    // The files as the OpenWard before the shared key store wrote them: the signing key in PEM, one retired key, the encryption key's bytes.
    private static (string SigningKid, string RetiredKid, byte[] EncryptionKey) WriteOldKeyFiles(string dataDirectory, DateTimeOffset retiredAt)
    {
        using var signing = RSA.Create(2048);
        using var retired = RSA.Create(2048);
        var encryption = RandomNumberGenerator.GetBytes(32);
        var current = Path.Combine(dataDirectory, TokenKeyFiles.SigningKeyFile);
        File.WriteAllText(current, signing.ExportPkcs8PrivateKeyPem());
        // Made when the other one retired: signing since then, not yet due to be replaced.
        File.SetLastWriteTimeUtc(current, retiredAt.UtcDateTime);
        File.WriteAllText(Path.Combine(dataDirectory, $"token-signing-key.retired-{retiredAt.UtcDateTime:yyyyMMddHHmmss}.pem"), retired.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(Path.Combine(dataDirectory, TokenKeyFiles.EncryptionKeyFile), encryption);
        return (Kid(signing), Kid(retired), encryption);
    }

    // The key id the older OpenWard gave a signing key, from its public half.
    private static string Kid(RSA rsa) => Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..16];

    private static async Task<long> CountAsync(ClinicalDatabase database, string condition) =>
        Convert.ToInt64(await StoredValues.ScalarAsync(database, $"SELECT COUNT(*) FROM token_keys WHERE {condition};"));

    // Two nodes on one store, each with a data directory of its own. On PostgreSQL the second node is a store object of
    // its own on the same database; on SQLite one process alone opens the file, so the two token key stores share it.
    private sealed class TwoNodes : IAsyncDisposable
    {
        private readonly ClinicalDatabase secondDatabase;

        private TwoNodes(StoreEngine store, ClinicalDatabase secondDatabase)
        {
            var kek = SealingKeys.NewKeyEncryptionKey();
            (Store, this.secondDatabase) = (store, secondDatabase);
            A = Node(store.Database, store.DataDirectory, Clock, kek);
            B = Node(secondDatabase, SecondDataDirectory, Clock, kek);
        }

        public StoreEngine Store { get; }

        public FakeTimeProvider Clock { get; } = new(Morning);

        public string SecondDataDirectory { get; } = Directory.CreateTempSubdirectory("openward-node-").FullName;

        public TokenKeyStore A { get; }

        public TokenKeyStore B { get; }

        public static async Task<TwoNodes> CreateAsync(string engine)
        {
            var store = await StoreEngine.CreateAsync(engine, Tables);
            return new TwoNodes(store, engine == "postgresql" ? await store.SecondNodeAsync(Tables) : store.Database);
        }

        public async ValueTask DisposeAsync()
        {
            if (secondDatabase != Store.Database && secondDatabase is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }

            await Store.DisposeAsync();
            Directory.Delete(SecondDataDirectory, recursive: true);
        }
    }
}
