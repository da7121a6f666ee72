using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Identity;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// ASP.NET Core's data-protection key ring in the store behaves the same on SQLite and on PostgreSQL:
/// nodes starting at once make one key and open what the others protected, a key one node makes later
/// is in the other's ring when it reads it, the table holds the keys sealed (no key in clear), an older
/// OpenWard's key files are moved in (what they protected still opens), and a new key-encryption key seals the ring again.
/// Each node is the framework's own key manager over <see cref="DataProtectionKeyRing"/>, as the server has it.
/// </summary>
public sealed class DataProtectionKeyRingTests
{
    private static readonly FeatureSchema[] Tables = [IdentitySchema.Definition];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TwoNodesStartingAtOnce_MakeOneKey_AndEachOpensWhatTheOtherProtected(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        await using var second = engine == "postgresql" ? await store.SecondNodeAsync(Tables) : null;
        var kek = SealingKeys.NewKeyEncryptionKey();
        using var a = Node.On(store.Database, store.DataDirectory, kek);
        using var b = Node.On(second ?? store.Database, store.DataDirectory, kek);

        await Task.WhenAll(a.PrepareAsync(), b.PrepareAsync());

        Assert.Equal(1L, await CountAsync(store.Database));
        Assert.Equal("signed in on a", b.Protector.Unprotect(a.Protector.Protect("signed in on a")));
        Assert.Equal("signed in on b", a.Protector.Unprotect(b.Protector.Protect("signed in on b")));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AKeyOneNodeMakesLater_IsInTheOtherNodesRing(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var kek = SealingKeys.NewKeyEncryptionKey();
        using var a = Node.On(store.Database, store.DataDirectory, kek);
        using var b = Node.On(store.Database, store.DataDirectory, kek);
        await a.PrepareAsync();
        await b.PrepareAsync();

        // As the framework makes the next key, days before it is used.
        var now = DateTimeOffset.UtcNow;
        var next = a.Keys.CreateNewKey(now.AddDays(2), now.AddDays(92));

        Assert.Contains(b.Keys.GetAllKeys(), key => key.KeyId == next.KeyId);
        Assert.Equal(2L, await CountAsync(store.Database));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheKeysInTheTable_AreSealed_NotXmlInClear(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        using var node = Node.On(store.Database, store.DataDirectory, SealingKeys.NewKeyEncryptionKey());
        await node.PrepareAsync();
        var key = Assert.Single(node.Keys.GetAllKeys());

        var stored = Assert.Single(await StoredValues.ColumnAsync<string>(store.Database, "SELECT sealed_xml FROM data_protection_keys;"));

        // The framework's element, as it would have written it to a file, holds the master key in clear; the row holds none of it.
        Assert.DoesNotContain("<", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key.KeyId.ToString(), stored, StringComparison.OrdinalIgnoreCase);
        var bytes = Encoding.UTF8.GetString(Convert.FromBase64String(stored));
        Assert.DoesNotContain("masterKey", bytes, StringComparison.Ordinal);
        Assert.DoesNotContain(key.KeyId.ToString(), bytes, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnOlderOpenWardsKeyFiles_AreMovedIn_AndWhatTheyProtectedStillOpens(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var folder = new DirectoryInfo(Path.Combine(store.DataDirectory, DataProtectionKeyFiles.Folder));
        // The older OpenWard: its key ring in files in the data directory.
        var cookie = DataProtectionProvider.Create(folder, setup => setup.SetApplicationName("OpenWard")).CreateProtector(Node.Purpose).Protect("signed in before the upgrade");
        Assert.NotEmpty(folder.GetFiles("*.xml"));

        using var node = Node.On(store.Database, store.DataDirectory, SealingKeys.NewKeyEncryptionKey());
        await node.PrepareAsync();

        Assert.Equal("signed in before the upgrade", node.Protector.Unprotect(cookie));
        Assert.False(folder.Exists && folder.GetFiles().Length > 0, "the key files are deleted once the store holds their keys");
        Assert.False(Directory.Exists(folder.FullName));
        // The imported key is in use: no other was made.
        Assert.Equal(1L, await CountAsync(store.Database));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task UnderANewKeyEncryptionKey_TheRingIsSealedAgain_AndOpensWithoutThePreviousOne(string engine)
    {
        await using var store = await StoreEngine.CreateAsync(engine, Tables);
        var (first, second) = (SealingKeys.NewKeyEncryptionKey(), SealingKeys.NewKeyEncryptionKey());
        using var before = Node.On(store.Database, store.DataDirectory, first);
        await before.PrepareAsync();
        var cookie = before.Protector.Protect("signed in before the new key-encryption key");
        var sealedBefore = await StoredValues.ColumnAsync<string>(store.Database, "SELECT sealed_xml FROM data_protection_keys;");

        using var during = Node.On(store.Database, store.DataDirectory, second, previousKek: first);
        await during.PrepareAsync();
        Assert.NotEqual(sealedBefore, await StoredValues.ColumnAsync<string>(store.Database, "SELECT sealed_xml FROM data_protection_keys;"));

        using var after = Node.On(store.Database, store.DataDirectory, second);
        await after.PrepareAsync();
        Assert.Equal("signed in before the new key-encryption key", after.Protector.Unprotect(cookie));
        Assert.Equal(1L, await CountAsync(store.Database));
    }

    private static async Task<long> CountAsync(ClinicalDatabase database) =>
        Convert.ToInt64(await StoredValues.ScalarAsync(database, "SELECT COUNT(*) FROM data_protection_keys;"));

    // One node: the framework's data protection (as the server registers it) over the ring in the store.
    private sealed class Node : IDisposable
    {
        public const string Purpose = "OpenWard.SignIn";

        private readonly ServiceProvider services;
        private readonly DataProtectionKeyRing ring;

        private Node(ServiceProvider services, DataProtectionKeyRing ring) => (this.services, this.ring) = (services, ring);

        public IKeyManager Keys => services.GetRequiredService<IKeyManager>();

        public IDataProtector Protector => services.GetDataProtector(Purpose);

        public static Node On(ClinicalDatabase database, string dataDirectory, string kek, string? previousKek = null)
        {
            var host = Options.Create(new OpenWardOptions { DataDirectory = dataDirectory });
            var protector = new FieldProtector(database, host, Options.Create(new EncryptionOptions { KeyEncryptionKey = kek, PreviousKeyEncryptionKey = previousKek }), TimeProvider.System);
            var ring = new DataProtectionKeyRing(database, protector, host, TimeProvider.System, NullLogger<DataProtectionKeyRing>.Instance);
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddDataProtection().SetApplicationName("OpenWard");
            services.Configure<KeyManagementOptions>(options => options.XmlRepository = ring);
            return new Node(services.BuildServiceProvider(), ring);
        }

        public Task PrepareAsync() =>
            ring.PrepareAsync(Keys, services.GetRequiredService<IOptions<KeyManagementOptions>>(), TestContext.Current.CancellationToken);

        public void Dispose() => services.Dispose();
    }
}
