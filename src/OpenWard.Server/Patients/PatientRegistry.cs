using System.Security.Cryptography;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Patients;

/// <summary>Patients in the store.</summary>
public sealed class PatientRegistry(ClinicalDatabase database, TimeProvider clock)
{
    /// <summary>Adds a patient under a new id.</summary>
    public async Task<Outcome<Patient>> AddAsync(string name, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            return Outcome<Patient>.Refused(ProblemKind.Invalid, "name must be 1 to 200 characters");
        }

        var patient = new Patient
        {
            Id = "pat-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Name = name,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO patients (id, display_name, created_at) VALUES ($id, $name, $created);";
        insert.Parameters.AddWithValue("$id", patient.Id);
        insert.Parameters.AddWithValue("$name", patient.Name);
        insert.Parameters.AddWithValue("$created", patient.CreatedAt.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return Outcome<Patient>.Done(patient);
    }

    /// <summary>Every patient, in the order they were added.</summary>
    public async Task<IReadOnlyList<Patient>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, display_name, created_at FROM patients ORDER BY created_at, id;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var patients = new List<Patient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            patients.Add(new Patient
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            });
        }

        return patients;
    }

    /// <summary>Whether a patient with this id exists.</summary>
    public async Task<bool> ExistsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT 1 FROM patients WHERE id = $id;";
        query.Parameters.AddWithValue("$id", patientId);
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }
}
