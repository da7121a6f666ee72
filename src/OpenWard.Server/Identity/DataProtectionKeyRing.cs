using System.Data.Common;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// ASP.NET Core's data-protection key ring — the keys that protect the sign-in cookie and anti-forgery
/// tokens — in the store (<c>data_protection_keys</c>), so that every node sharing it accepts the
/// cookies of the others. Each element is sealed whole by the key-encryption key that seals the token
/// keys (<see cref="FieldProtector.SealKey"/>), here rather than by an <c>IXmlEncryptor</c>: the row is
/// then unreadable as a whole (not only the master key), an element still sealed under the previous
/// key-encryption key is sealed again when read, as the token keys are, and no type name of OpenWard's
/// is written into the keys for the framework to load.
/// </summary>
/// <remarks>
/// The framework reads the ring when a node first needs it and then about once a day; a key another
/// node made in between is found only then (or, in a node's first two minutes, when a cookie names it).
/// So the first key is made at start (<see cref="PrepareAsync"/>) in the store's turn: nodes starting at
/// once on an empty ring make one key, which all use. Later keys are made by the framework days before
/// they are used, which is time enough for every node to read them.
/// </remarks>
public sealed partial class DataProtectionKeyRing(
    ClinicalDatabase database, FieldProtector protector, IOptions<OpenWardOptions> host, TimeProvider clock,
    ILogger<DataProtectionKeyRing> logger) : IXmlRepository
{
    private const string Turn = "data-protection-keys";

    // The connection of the write PrepareAsync holds, for the framework's calls made inside it.
    private static readonly AsyncLocal<DbConnection?> HeldWrite = new();

    /// <summary>
    /// At start: moves the key files an older OpenWard kept in its data directory into the store (so
    /// that people signed in stay signed in), then, in the store's turn, makes the first key if the ring
    /// has none in use. The files are deleted once the store holds their keys. The key manager is passed
    /// in rather than injected: it is built on this repository.
    /// </summary>
    public async Task PrepareAsync(IKeyManager keys, IOptions<KeyManagementOptions> options, CancellationToken cancellationToken)
    {
        var files = DataProtectionKeyFiles.Read(host.Value.DataPath);
        await database.WriteAsync(async connection =>
        {
            await database.TakeTurnAsync(connection, Turn, cancellationToken);
            foreach (var (name, element) in files.Elements)
            {
                await InsertAsync(connection, name, element, cancellationToken);
            }

            // The framework's calls below read and store through this write, in its turn. Set inside this
            // async lambda, the value is this lambda's own: it is gone once the lambda returns.
            HeldWrite.Value = connection;
            var now = clock.GetUtcNow();
            if (!keys.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now))
            {
                keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
            }
        }, cancellationToken);

        if (files.Paths.Count > 0)
        {
            DataProtectionKeyFiles.Delete(files.Paths);
            LogFilesImported(logger, files.Paths.Count);
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        if (HeldWrite.Value is { } held)
        {
            return ReadAsync(held, CancellationToken.None).GetAwaiter().GetResult();
        }

        // The framework asks synchronously, rarely (at start and about once a day): wait for the store here.
        return Task.Run(async () =>
        {
            IReadOnlyCollection<XElement> elements;
            await using (var connection = await database.OpenAsync(CancellationToken.None))
            {
                elements = await ReadAsync(connection, CancellationToken.None);
            }

            return elements;
        }).GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        if (HeldWrite.Value is { } held)
        {
            InsertAsync(held, friendlyName, element, CancellationToken.None).GetAwaiter().GetResult();
            return;
        }

        Task.Run(() => database.WriteAsync(connection => InsertAsync(connection, friendlyName, element, CancellationToken.None), CancellationToken.None))
            .GetAwaiter().GetResult();
    }

    // Reads every element; those sealed under the previous key-encryption key are sealed again under the
    // current one (in the write held, or in one of their own).
    private async Task<IReadOnlyCollection<XElement>> ReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var elements = new List<XElement>();
        var resealed = new List<(string Id, string Sealed)>();
        await using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT id, sealed_xml FROM data_protection_keys ORDER BY id;";
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                var (xml, reseal) = protector.OpenKey(SealedAs(id), reader.GetString(1));
                elements.Add(XElement.Parse(Encoding.UTF8.GetString(xml)));
                if (reseal)
                {
                    resealed.Add((id, protector.SealKey(SealedAs(id), xml)));
                }
            }
        }

        if (resealed.Count > 0)
        {
            if (HeldWrite.Value is { } held)
            {
                await UpdateAsync(held, resealed, cancellationToken);
            }
            else
            {
                await database.WriteAsync(write => UpdateAsync(write, resealed, cancellationToken), cancellationToken);
            }
        }

        return elements;
    }

    // An element is stored once under its name; another of the same name (a second revocation in the
    // same instant, or a key file imported twice) is kept under the name with a suffix, unless it is the same.
    private async Task InsertAsync(DbConnection connection, string name, XElement element, CancellationToken cancellationToken)
    {
        var xml = Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting));
        for (var attempt = 0; ; attempt++)
        {
            var id = attempt == 0 ? name : $"{name}.{attempt}";
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO data_protection_keys (id, sealed_xml) VALUES (@id, @sealed) ON CONFLICT (id) DO NOTHING;";
            insert.AddParameter("@id", id);
            insert.AddParameter("@sealed", protector.SealKey(SealedAs(id), xml));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1 || await HoldsAsync(connection, id, xml, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task<bool> HoldsAsync(DbConnection connection, string id, byte[] xml, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT sealed_xml FROM data_protection_keys WHERE id = @id;";
        query.AddParameter("@id", id);
        var stored = (string)(await query.ExecuteScalarAsync(cancellationToken))!;
        return protector.OpenKey(SealedAs(id), stored).Key.AsSpan().SequenceEqual(xml);
    }

    private static async Task UpdateAsync(DbConnection connection, IEnumerable<(string Id, string Sealed)> rows, CancellationToken cancellationToken)
    {
        foreach (var (id, sealedXml) in rows)
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE data_protection_keys SET sealed_xml = @sealed WHERE id = @id;";
            update.AddParameter("@id", id);
            update.AddParameter("@sealed", sealedXml);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // The seal names the table as well as the element, so that another key's seal cannot pass for this one.
    private static string SealedAs(string id) => $"data_protection_keys:{id}";

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Moved {Files} data-protection key files from the data directory into the store, and deleted the files")]
    private static partial void LogFilesImported(ILogger logger, int files);
}
