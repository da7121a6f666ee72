using System.Security.Cryptography;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Notes;

/// <summary>Clinical notes on patients: written once, never changed (a correction is a new note), the text sealed at rest.</summary>
public sealed class ClinicalNotes(ClinicalDatabase database, FieldProtector protector, UserDirectory users, TimeProvider clock)
{
    /// <summary>The longest note, in characters.</summary>
    public const int MaxLength = 4000;

    /// <summary>Adds a note by <paramref name="author"/> (its audit name, <c>user:…</c>).</summary>
    public async Task<ClinicalNote> AddAsync(string patientId, string author, string text, CancellationToken cancellationToken)
    {
        var id = "note-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var now = clock.GetUtcNow();
        await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO clinical_notes (id, patient_id, author, written_at, text) VALUES (@id, @patient, @author, @at, @text);";
            insert.AddParameter("@id", id);
            insert.AddParameter("@patient", patientId);
            insert.AddParameter("@author", author);
            insert.AddParameter("@at", now.ToUnixTimeMilliseconds());
            insert.AddParameter("@text", protector.Protect(text, FieldProtector.ClinicalNoteText));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

        var writer = await AuthorAsync(author, cancellationToken);
        return new ClinicalNote
        {
            Id = id, PatientId = patientId, Author = writer?.DisplayName ?? author, AuthorRole = writer?.Role, WrittenAt = now, Text = text,
        };
    }

    /// <summary>A patient's notes, newest first, with their authors' names.</summary>
    public async Task<IReadOnlyList<ClinicalNote>> ListAsync(string patientId, int limit, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, string Author, long At, string Text)>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT id, author, written_at, text FROM clinical_notes WHERE patient_id = @patient ORDER BY written_at DESC, id DESC LIMIT @limit;";
            query.AddParameter("@patient", patientId);
            query.AddParameter("@limit", limit);
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)));
            }
        }

        var authors = new Dictionary<string, UserAccount?>(StringComparer.Ordinal);
        foreach (var author in rows.Select(r => r.Author).Distinct(StringComparer.Ordinal))
        {
            authors[author] = await AuthorAsync(author, cancellationToken);
        }

        return [.. rows.Select(r => new ClinicalNote
        {
            Id = r.Id,
            PatientId = patientId,
            Author = authors[r.Author]?.DisplayName ?? r.Author,
            AuthorRole = authors[r.Author]?.Role,
            WrittenAt = DateTimeOffset.FromUnixTimeMilliseconds(r.At),
            Text = protector.Unprotect(r.Text, FieldProtector.ClinicalNoteText)!,
        })];
    }

    private async Task<UserAccount?> AuthorAsync(string author, CancellationToken cancellationToken) =>
        author.StartsWith("user:", StringComparison.Ordinal) ? await users.FindAsync(author["user:".Length..], cancellationToken) : null;
}
