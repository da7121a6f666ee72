using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Patients;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// A store on one engine with the tables of patients and encryption keys (and care teams for the
/// patients' foreign key), and field protectors whose keys live in it, sealing the patients' columns: the
/// protected columns whose tables are on both engines so far.
/// </summary>
public static class FleetStore
{
    /// <summary>The protected columns of the patients' table.</summary>
    public static IReadOnlyList<ProtectedColumn> PatientColumns { get; } =
        [.. FieldProtector.ProtectedColumns.Where(c => c.Table == "patients")];

    /// <summary>The tables, in the order their foreign keys need.</summary>
    public static FeatureSchema[] Schemas { get; } =
        [CareTeamRecords.Schema, PatientsSchema.Definition, EncryptionSchema.Definition];

    /// <summary>A fresh store on <paramref name="engine"/> with <see cref="Schemas"/>' tables, and <paramref name="more"/>.</summary>
    public static Task<StoreEngine> CreateAsync(string engine, params FeatureSchema[] more) => StoreEngine.CreateAsync(engine, [.. Schemas, .. more]);

    /// <summary>A new key-encryption key, in base64 as configuration holds it.</summary>
    public static string NewKeyEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A field protector on <paramref name="database"/>, started (its keys loaded or made, clear values sealed).</summary>
    public static async Task<FieldProtector> StartProtectorAsync(
        ClinicalDatabase database, TimeProvider clock, string keyEncryptionKey, string? previousKeyEncryptionKey = null, IReadOnlyList<ProtectedColumn>? columns = null)
    {
        var encryption = new EncryptionOptions { KeyEncryptionKey = keyEncryptionKey, PreviousKeyEncryptionKey = previousKeyEncryptionKey };
        var protector = new FieldProtector(database, Options.Create(new OpenWardOptions()), Options.Create(encryption), clock, columns ?? PatientColumns);
        await protector.PrepareAsync(TestContext.Current.CancellationToken);
        return protector;
    }

    /// <summary>The patients' store on <paramref name="database"/>, with a protector of its own.</summary>
    public static async Task<PatientRegistry> PatientsAsync(ClinicalDatabase database, TimeProvider clock) =>
        new(database, await StartProtectorAsync(database, clock, NewKeyEncryptionKey()), clock);

    /// <summary>The first column of the first row <paramref name="query"/> answers, read on the store's read connection.</summary>
    public static async Task<object?> ScalarAsync(ClinicalDatabase database, string query, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        var scalar = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return scalar is DBNull ? null : scalar;
    }

    /// <summary>Runs <paramref name="statement"/> as one write, as an older OpenWard or another feature would.</summary>
    public static Task ExecuteAsync(ClinicalDatabase database, string statement, params (string Name, object? Value)[] parameters) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            foreach (var (name, value) in parameters)
            {
                command.AddParameter(name, value);
            }

            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }, TestContext.Current.CancellationToken);
}
