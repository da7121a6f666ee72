using System.Text.Json;
using OpenWard.Core.Alerting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>Each patient's alert settings (limits, NEWS2 scale, oxygen, consciousness, expected readings) as a clinician set them.</summary>
public sealed class AlertSettingsStore(ClinicalDatabase database, TimeProvider clock)
{
    /// <summary>The patient's settings, or the defaults when none were set.</summary>
    public async Task<PatientAlertSettings> ReadAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT settings FROM patient_alert_settings WHERE patient_id = @patient;";
        query.AddParameter("@patient", patientId);
        return await query.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<PatientAlertSettings>(json, AlertJson.Options) ?? new PatientAlertSettings()
            : new PatientAlertSettings();
    }

    /// <summary>Patients whose settings list readings the care plan expects at intervals ("no data" when one is overdue).</summary>
    public async Task<IReadOnlyList<string>> PatientsExpectingReadingsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        // The settings are read here rather than looked into by the database, whose JSON functions each engine spells its own way.
        query.CommandText = "SELECT patient_id, settings FROM patient_alert_settings;";
        var patients = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (JsonSerializer.Deserialize<PatientAlertSettings>(reader.GetString(1), AlertJson.Options) is { ExpectedReadings.Count: > 0 })
            {
                patients.Add(reader.GetString(0));
            }
        }

        return patients;
    }

    /// <summary>Stores the patient's settings, recording who set them.</summary>
    public async Task WriteAsync(string patientId, PatientAlertSettings settings, string actor, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async connection =>
        {
            await using var upsert = connection.CreateCommand();
            upsert.CommandText = """
                INSERT INTO patient_alert_settings (patient_id, settings, updated_at, updated_by) VALUES (@patient, @settings, @now, @actor)
                ON CONFLICT (patient_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by;
                """;
            upsert.AddParameter("@patient", patientId);
            upsert.AddParameter("@settings", JsonSerializer.Serialize(settings, AlertJson.Options));
            upsert.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            upsert.AddParameter("@actor", actor);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }
}
