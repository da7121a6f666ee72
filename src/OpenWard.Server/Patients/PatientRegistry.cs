using System.Security.Cryptography;
using System.Data.Common;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Patients;

/// <summary>Patients in the store.</summary>
public sealed class PatientRegistry(ClinicalDatabase database, FieldProtector protector, TimeProvider clock)
{
    /// <summary>Adds a patient under a new id, with the hospital's medical record number and care team when given.</summary>
    public async Task<Outcome<Patient>> AddAsync(string name, string? mrn, string? careTeamId, CancellationToken cancellationToken)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            return Outcome<Patient>.Refused(ProblemKind.Invalid, "name must be 1 to 200 characters");
        }

        mrn = string.IsNullOrWhiteSpace(mrn) ? null : mrn.Trim();
        if (mrn is { Length: > 64 })
        {
            return Outcome<Patient>.Refused(ProblemKind.Invalid, "mrn must be at most 64 characters");
        }

        var patient = new Patient
        {
            Id = "pat-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Name = name,
            Mrn = mrn,
            CareTeamId = careTeamId,
            CreatedAt = clock.GetUtcNow(),
        };
        var added = await database.WriteAsync(async connection =>
        {
            // ON CONFLICT: where writes run side by side (PostgreSQL), another patient given the same record
            // number meanwhile makes this one a refusal too, as the check does when writes take turns.
            // CAST: PostgreSQL needs a type for a parameter that may be NULL where nothing else gives it one.
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO patients (id, display_name, mrn, mrn_index, care_team_id, created_at)
                SELECT @id, @name, CAST(@mrn AS TEXT), CAST(@index AS TEXT), CAST(@team AS TEXT), @created
                WHERE (@index IS NULL OR NOT EXISTS (SELECT 1 FROM patients WHERE mrn_index = @index))
                  AND (@team IS NULL OR EXISTS (SELECT 1 FROM care_teams WHERE id = @team))
                ON CONFLICT DO NOTHING;
                """;
            insert.AddParameter("@id", patient.Id);
            insert.AddParameter("@name", protector.Protect(patient.Name, FieldProtector.PatientName));
            insert.AddParameter("@mrn", (object?)protector.Protect(patient.Mrn, FieldProtector.PatientMrn) ?? DBNull.Value);
            insert.AddParameter("@index", patient.Mrn is null ? DBNull.Value : protector.Index(patient.Mrn));
            insert.AddParameter("@team", (object?)careTeamId ?? DBNull.Value);
            insert.AddParameter("@created", patient.CreatedAt.ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (added == 0)
        {
            return Outcome<Patient>.Refused(ProblemKind.Conflict, "another patient has this medical record number, or the care team does not exist");
        }

        return Outcome<Patient>.Done(patient);
    }

    /// <summary>The patient with this OpenWard id or medical record number (the id first, should another patient's number be spelt the same), or null.</summary>
    public Task<Patient?> FindByIdentifierAsync(string identifier, CancellationToken cancellationToken) =>
        FindWhereAsync("id = @key OR mrn_index = @index", identifier, cancellationToken);

    /// <summary>The patient with this id, or null.</summary>
    public Task<Patient?> FindAsync(string patientId, CancellationToken cancellationToken) =>
        FindWhereAsync("id = @key", patientId, cancellationToken);

    /// <summary>Every patient, in the order they were added.</summary>
    public async Task<IReadOnlyList<Patient>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id, display_name, mrn, created_at, care_team_id FROM patients ORDER BY created_at, id;";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var patients = new List<Patient>();
        while (await reader.ReadAsync(cancellationToken))
        {
            patients.Add(Read(reader));
        }

        return patients;
    }

    /// <summary>The care team that looks after a patient, or null (nothing is decrypted: for alert delivery).</summary>
    public async Task<string?> CareTeamOfAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT care_team_id FROM patients WHERE id = @id;";
        query.AddParameter("@id", patientId);
        return await query.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The care teams of several patients at once (patients on no team are left out).</summary>
    public async Task<IReadOnlyDictionary<string, string>> CareTeamsOfAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT id, care_team_id FROM patients WHERE care_team_id IS NOT NULL AND id {query.InList("@ids", patientIds)};";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var teams = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            teams[reader.GetString(0)] = reader.GetString(1);
        }

        return teams;
    }

    /// <summary>The ids of the patients a care team looks after, in the order they were added (nothing is decrypted).</summary>
    public async Task<IReadOnlyList<string>> OnCareTeamAsync(string careTeamId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT id FROM patients WHERE care_team_id = @team ORDER BY created_at, id;";
        query.AddParameter("@team", careTeamId);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var patients = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            patients.Add(reader.GetString(0));
        }

        return patients;
    }

    /// <summary>Whether a patient with this id exists.</summary>
    public async Task<bool> ExistsAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT 1 FROM patients WHERE id = @id;";
        query.AddParameter("@id", patientId);
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<Patient?> FindWhereAsync(string condition, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT id, display_name, mrn, created_at, care_team_id FROM patients WHERE {condition} ORDER BY CASE WHEN id = @key THEN 0 ELSE 1 END LIMIT 1;";
        query.AddParameter("@key", key);
        query.AddParameter("@index", protector.Index(key));
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private Patient Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = protector.Unprotect(reader.GetString(1), FieldProtector.PatientName)!,
        Mrn = reader.IsDBNull(2) ? null : protector.Unprotect(reader.GetString(2), FieldProtector.PatientMrn),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        CareTeamId = reader.IsDBNull(4) ? null : reader.GetString(4),
    };
}
