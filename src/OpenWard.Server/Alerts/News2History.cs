using System.Data.Common;
using System.Text.Json;
using OpenWard.Core.Scores;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Alerts;

/// <summary>Each patient's NEWS2 scores over time: a score is kept whenever it differs from the one before.</summary>
public sealed class News2History(ClinicalDatabase database)
{
    /// <summary>Appends a score.</summary>
    public async Task AppendAsync(string patientId, DateTimeOffset at, News2Score score, CancellationToken cancellationToken)
    {
        await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO news2_scores (patient_id, at, total, response, parameters) VALUES (@patient, @at, @total, @response, @parameters);";
            insert.AddParameter("@patient", patientId);
            insert.AddParameter("@at", at.ToUnixTimeMilliseconds());
            insert.AddParameter("@total", score.Total);
            insert.AddParameter("@response", News2.ResponseName(score.Response));
            insert.AddParameter("@parameters", JsonSerializer.Serialize(score.Parameters, AlertJson.Options));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    /// <summary>A patient's most recent score, if any.</summary>
    public async Task<News2Record?> LatestAsync(string patientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT at, total, response, parameters FROM news2_scores WHERE patient_id = @patient ORDER BY at DESC, id DESC LIMIT 1;";
        query.AddParameter("@patient", patientId);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Record(reader) : null;
    }

    /// <summary>A patient's scores from a time on, oldest first.</summary>
    public async Task<IReadOnlyList<News2Record>> ReadAsync(string patientId, DateTimeOffset from, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT at, total, response, parameters FROM news2_scores WHERE patient_id = @patient AND at >= @from ORDER BY at, id LIMIT @limit;";
        query.AddParameter("@patient", patientId);
        query.AddParameter("@from", from.ToUnixTimeMilliseconds());
        query.AddParameter("@limit", limit);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var records = new List<News2Record>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Record(reader));
        }

        return records;
    }

    private static News2Record Record(DbDataReader reader) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetInt32(1), reader.GetString(2),
        JsonSerializer.Deserialize<List<News2Parameter>>(reader.GetString(3), AlertJson.Options) ?? []);
}
