using System.Security.Cryptography;
using System.Data.Common;
using Microsoft.Extensions.Options;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Access;

/// <summary>Break-glass accesses: opened by clinicians with a reason, reviewed by the privacy officer.</summary>
/// <remarks>The reason is sealed at rest (<see cref="FieldProtector.BreakGlassReason"/>): it often says who called about the patient and why.</remarks>
public sealed partial class BreakGlassRegister(
    ClinicalDatabase database, FieldProtector protector, IOptions<BreakGlassOptions> options, TimeProvider clock, ILogger<BreakGlassRegister> logger)
{
    /// <summary>The shortest reason accepted: enough words for a reviewer to understand why.</summary>
    public const int MinimumReasonLength = 10;

    /// <summary>Opens access to a patient for <see cref="BreakGlassOptions.BreakGlassMinutes"/>.</summary>
    public async Task<Outcome<BreakGlassAccess>> OpenAsync(string userId, string patientId, string? reason, CancellationToken cancellationToken)
    {
        reason = reason?.Trim() ?? "";
        if (reason.Length is < MinimumReasonLength or > 1000)
        {
            return Outcome<BreakGlassAccess>.Refused(ProblemKind.Invalid, $"a reason of {MinimumReasonLength} to 1000 characters is required");
        }

        var now = clock.GetUtcNow();
        var access = new BreakGlassAccess
        {
            Id = "bg-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            UserId = userId,
            PatientId = patientId,
            Reason = reason,
            OpenedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.BreakGlassMinutes),
        };
        var opened = await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO break_glass (id, user_id, patient_id, reason, opened_at, expires_at)
                SELECT @id, @user, @patient, @reason, @opened, @expires WHERE EXISTS (SELECT 1 FROM patients WHERE id = @patient);
                """;
            insert.AddParameter("@id", access.Id);
            insert.AddParameter("@user", userId);
            insert.AddParameter("@patient", patientId);
            insert.AddParameter("@reason", protector.Protect(reason, FieldProtector.BreakGlassReason));
            insert.AddParameter("@opened", access.OpenedAt.ToUnixTimeMilliseconds());
            insert.AddParameter("@expires", access.ExpiresAt.ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

        if (opened == 0)
        {
            return Outcome<BreakGlassAccess>.Refused(ProblemKind.NotFound, "no such patient");
        }

        // The notice for the privacy officer: listed by GET /api/v1/break-glass until reviewed, and in the log (ids only).
        LogOpened(logger, access.Id, userId);
        return Outcome<BreakGlassAccess>.Done(access);
    }

    /// <summary>Break-glass accesses, newest first; only those not yet reviewed when asked.</summary>
    public async Task<IReadOnlyList<BreakGlassAccess>> ListAsync(bool unreviewedOnly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"""
            SELECT id, user_id, patient_id, reason, opened_at, expires_at, reviewed_by, reviewed_at FROM break_glass
            {(unreviewedOnly ? "WHERE reviewed_at IS NULL" : "")} ORDER BY opened_at DESC LIMIT 1000;
            """;
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var accesses = new List<BreakGlassAccess>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accesses.Add(Read(reader));
        }

        return accesses;
    }

    /// <summary>Marks an access as reviewed by the privacy officer.</summary>
    public async Task<bool> ReviewAsync(string id, string reviewer, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE break_glass SET reviewed_by = @reviewer, reviewed_at = @now WHERE id = @id AND reviewed_at IS NULL;";
            update.AddParameter("@id", id);
            update.AddParameter("@reviewer", reviewer);
            update.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
    }

    private BreakGlassAccess Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        UserId = reader.GetString(1),
        PatientId = reader.GetString(2),
        Reason = protector.Unprotect(reader.GetString(3), FieldProtector.BreakGlassReason)!,
        OpenedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
        ReviewedBy = reader.IsDBNull(6) ? null : reader.GetString(6),
        ReviewedAt = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Break-glass access {AccessId} opened by {UserId}; the privacy officer should review it")]
    private static partial void LogOpened(ILogger logger, string accessId, string userId);
}
