using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenWard.Server.Access;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;

namespace OpenWard.Server.People;

/// <summary>
/// People who sign in: their accounts, password checks with lockout after repeated failures, and
/// the care teams they are on.
/// </summary>
public sealed class UserDirectory(ClinicalDatabase database, FieldProtector protector, IOptions<SignInOptions> options, TimeProvider clock)
{
    private readonly SessionStandings standings = new(clock);

    // A hash of a random password, checked when the user name is unknown so that a refusal takes as long either way.
    private static readonly string UnknownUserHash = SaltedHash.Password.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));

    /// <summary>Creates an account; the password is stored only as a slow salted hash.</summary>
    public async Task<Outcome<UserAccount>> AddAsync(
        string userName, string displayName, string role, string password, string? patientId, CancellationToken cancellationToken)
    {
        userName = userName.Trim();
        displayName = displayName.Trim();
        if (userName.Length is < 3 or > 100 || userName.Any(char.IsWhiteSpace))
        {
            return Outcome<UserAccount>.Refused(ProblemKind.Invalid, "userName must be 3 to 100 characters without spaces");
        }

        if (displayName.Length is 0 or > 200)
        {
            return Outcome<UserAccount>.Refused(ProblemKind.Invalid, "displayName must be 1 to 200 characters");
        }

        if (!UserRoles.All.Contains(role))
        {
            return Outcome<UserAccount>.Refused(ProblemKind.Invalid, $"role must be one of {string.Join(", ", UserRoles.All)}");
        }

        if (PasswordPolicy.Refusal(password, userName) is { } weak)
        {
            return Outcome<UserAccount>.Refused(ProblemKind.Invalid, weak);
        }

        if ((role == UserRoles.Patient) != (patientId is not null))
        {
            return Outcome<UserAccount>.Refused(ProblemKind.Invalid, "patientId is required for a patient's account and only for one");
        }

        var user = new UserAccount
        {
            Id = "usr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            UserName = userName,
            DisplayName = displayName,
            Role = role,
            PatientId = patientId,
            CreatedAt = clock.GetUtcNow(),
        };
        var hash = SaltedHash.Password.Hash(password); // slow on purpose: before the turn to write, not in it
        var added = await database.WriteAsync(async connection =>
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO users (id, user_name, display_name, role, patient_id, password_hash, created_at)
                SELECT @id, @userName, @displayName, @role, @patient, @hash, @created
                WHERE NOT EXISTS (SELECT 1 FROM users WHERE user_name = @userName)
                  AND (@patient IS NULL OR EXISTS (SELECT 1 FROM patients WHERE id = @patient));
                """;
            insert.AddParameter("@id", user.Id);
            insert.AddParameter("@userName", user.UserName);
            insert.AddParameter("@displayName", user.DisplayName);
            insert.AddParameter("@role", user.Role);
            insert.AddParameter("@patient", patientId).DbType = DbType.String; // typed even when null, which PostgreSQL cannot infer from "@patient IS NULL"
            insert.AddParameter("@hash", hash);
            insert.AddParameter("@created", user.CreatedAt.ToUnixTimeMilliseconds());
            return await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        if (added == 0)
        {
            return Outcome<UserAccount>.Refused(ProblemKind.Conflict, "the user name is taken, or the patient does not exist");
        }

        return Outcome<UserAccount>.Done(user);
    }

    /// <summary>
    /// Checks a password, and the one-time code when the account uses a second factor (a code is
    /// accepted once). Failures are counted; after <see cref="SignInOptions.LockoutAfterFailures"/>
    /// in a row the account is locked for <see cref="SignInOptions.LockoutMinutes"/>, and a success resets the count.
    /// </summary>
    public Task<(PasswordCheck Check, UserAccount? User)> CheckPasswordAsync(
        string userName, string password, string? oneTimeCode, CancellationToken cancellationToken) =>
        CheckAsync(userName, password, oneTimeCode, askSecondFactor: true, cancellationToken);

    private async Task<(PasswordCheck Check, UserAccount? User)> CheckAsync(
        string userName, string password, string? oneTimeCode, bool askSecondFactor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        (UserAccount User, string Hash, (string? Secret, long? LastStep) Totp)? found;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            found = await FindWhereAsync(connection, "user_name = @key", userName.Trim(), cancellationToken);
        }

        if (found is not { } stored)
        {
            SaltedHash.Password.Verify(password, UnknownUserHash);
            return (PasswordCheck.Refused, null);
        }

        var (user, hash, totp) = stored;
        if (user.Disabled || user.LockedUntil > now)
        {
            // The same slow hash as for any other attempt, so that the time taken does not tell these refusals apart.
            SaltedHash.Password.Verify(password, hash);
            return (user.Disabled ? PasswordCheck.Disabled : PasswordCheck.LockedOut, null);
        }

        var settings = options.Value;
        long? step = null;
        var accepted = SaltedHash.Password.Verify(password, hash)
            && (!askSecondFactor || !user.SecondFactor || ((step = Totp.MatchingStep(protector.Unprotect(totp.Secret, FieldProtector.TotpSecret)!, oneTimeCode, now)) > (totp.LastStep ?? -1)));
        var lockedNow = await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = accepted
                ? "UPDATE users SET failed_sign_ins = 0, locked_until = NULL, totp_last_step = coalesce(@step, totp_last_step) WHERE id = @id;"
                // Once a lockout has ended the count starts afresh, so that one more slip does not lock the account again;
                // a lock another attempt set while this one was hashing stays as it is.
                : """
                  UPDATE users SET failed_sign_ins = CASE WHEN locked_until > @now THEN failed_sign_ins
                                                          WHEN locked_until IS NOT NULL THEN 1
                                                          ELSE failed_sign_ins + 1 END,
                      locked_until = CASE WHEN locked_until > @now THEN locked_until
                                          WHEN locked_until IS NULL AND failed_sign_ins + 1 >= @limit THEN @lockedUntil
                                          ELSE NULL END
                  WHERE id = @id RETURNING locked_until;
                  """;
            update.AddParameter("@id", user.Id);
            update.AddParameter("@limit", settings.LockoutAfterFailures);
            update.AddParameter("@lockedUntil", now.AddMinutes(settings.LockoutMinutes).ToUnixTimeMilliseconds());
            update.AddParameter("@step", step).DbType = DbType.Int64;
            update.AddParameter("@now", now.ToUnixTimeMilliseconds());
            return await update.ExecuteScalarAsync(cancellationToken) is long;
        }, cancellationToken);
        return accepted ? (PasswordCheck.Accepted, user) : (lockedNow ? PasswordCheck.LockedOut : PasswordCheck.Refused, null);
    }

    /// <summary>The account with this id, or null.</summary>
    public async Task<UserAccount?> FindAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await FindWhereAsync(connection, "id = @key", userId, cancellationToken))?.User;
    }

    private async Task<(UserAccount User, string Hash, (string? Secret, long? LastStep) Totp)?> FindStoredAsync(string userId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindWhereAsync(connection, "id = @key", userId, cancellationToken);
    }

    /// <summary>The account with this user name, or null.</summary>
    public async Task<UserAccount?> FindByUserNameAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await FindWhereAsync(connection, "user_name = @key", userName, cancellationToken))?.User;
    }

    /// <summary>Every account, by user name.</summary>
    public async Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = connection.CreateCommand();
        query.CommandText = $"{SelectUser};";
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var users = new List<UserAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(Read(reader).User);
        }

        return [.. users.OrderBy(u => u.UserName, NameOrder.Instance)];
    }

    /// <summary>Changes a person's password after checking the current one (a wrong one counts towards the lockout).</summary>
    public async Task<Outcome<string>> ChangePasswordAsync(string userId, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        if (await FindStoredAsync(userId, cancellationToken) is not { } found)
        {
            return Outcome<string>.Refused(ProblemKind.NotFound, "no such account");
        }

        if (PasswordPolicy.Refusal(newPassword, found.User.UserName) is { } weak)
        {
            return Outcome<string>.Refused(ProblemKind.Invalid, "new password: " + weak);
        }

        // Already signed in with any second factor: the password alone is asked again, and a wrong one counts towards the lockout.
        var (check, _) = await CheckAsync(found.User.UserName, currentPassword, oneTimeCode: null, askSecondFactor: false, cancellationToken);
        if (check != PasswordCheck.Accepted)
        {
            return Outcome<string>.Refused(ProblemKind.Invalid, "the current password is not right, or the account is locked");
        }

        var hash = SaltedHash.Password.Hash(newPassword);
        await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE users SET password_hash = @hash WHERE id = @id;";
            update.AddParameter("@hash", hash);
            update.AddParameter("@id", userId);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
        return Outcome<string>.Done(userId);
    }

    /// <summary>Starts enrolling an authenticator app: a new secret, not yet required at sign-in until confirmed.</summary>
    public async Task<string?> StartSecondFactorAsync(string userId, CancellationToken cancellationToken)
    {
        var secret = Totp.NewSecret();
        return await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE users SET totp_secret = @secret, totp_enabled = 0, totp_last_step = NULL WHERE id = @id AND disabled_at IS NULL;";
            update.AddParameter("@secret", protector.Protect(secret, FieldProtector.TotpSecret));
            update.AddParameter("@id", userId);
            return await update.ExecuteNonQueryAsync(cancellationToken) > 0 ? secret : null;
        }, cancellationToken);
    }

    /// <summary>Turns the second factor on once the person shows a code from their app; false when the code is wrong.</summary>
    public async Task<bool> ConfirmSecondFactorAsync(string userId, string? code, CancellationToken cancellationToken)
    {
        if (await FindStoredAsync(userId, cancellationToken) is not { Totp.Secret: { } secret }
            || Totp.MatchingStep(protector.Unprotect(secret, FieldProtector.TotpSecret)!, code, clock.GetUtcNow()) is not { } step)
        {
            return false;
        }

        return await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = "UPDATE users SET totp_enabled = 1, totp_last_step = @step WHERE id = @id;";
            update.AddParameter("@id", userId);
            update.AddParameter("@step", step);
            return await update.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
    }

    /// <summary>
    /// Confirms that the pending portal account <paramref name="userId"/> is patient <paramref name="patientId"/>'s own,
    /// as a member of the patient's care team (<paramref name="confirmedBy"/>); only then does it open the record.
    /// </summary>
    public async Task<PortalAccountConfirmation> ConfirmPortalAccountAsync(
        string patientId, string userId, string confirmedBy, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT EXISTS (SELECT 1 FROM patients p JOIN care_team_members m ON m.care_team_id = p.care_team_id
                    WHERE p.id = @patient AND m.user_id = @confirmer);
                """;
            command.AddParameter("@patient", patientId);
            command.AddParameter("@confirmer", confirmedBy);
            command.AddParameter("@user", userId);
            command.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return PortalAccountConfirmation.NotOnCareTeam;
            }

            command.CommandText = $"""
                UPDATE users SET patient_confirmed_by = @confirmer, patient_confirmed_at = @now
                WHERE id = @user AND patient_id = @patient AND role = '{UserRoles.Patient}' AND patient_confirmed_at IS NULL AND disabled_at IS NULL;
                """;
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0 ? PortalAccountConfirmation.Confirmed : PortalAccountConfirmation.NoPendingAccount;
        }, cancellationToken);
    }

    /// <summary>Lifts a lockout and clears the failure count.</summary>
    public Task<bool> UnlockAsync(string userId, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id;", userId, cancellationToken);

    /// <summary>Disables an account: it can no longer sign in (<see cref="IPersonSessions"/> ends the sessions it has).</summary>
    public async Task<bool> DisableAsync(string userId, CancellationToken cancellationToken)
    {
        var changed = await UpdateAsync("UPDATE users SET disabled_at = @now WHERE id = @id AND disabled_at IS NULL;", userId, cancellationToken);
        standings.Forget(userId);
        return changed;
    }

    /// <summary>Ends every session of the person: cookies and tokens of the current generation are refused from now on.</summary>
    public async Task<bool> EndSessionsAsync(string userId, CancellationToken cancellationToken)
    {
        var changed = await UpdateAsync("UPDATE users SET session_generation = session_generation + 1 WHERE id = @id;", userId, cancellationToken);
        standings.Forget(userId);
        return changed;
    }

    /// <summary>
    /// Whether the person's sessions of a generation still stand, as checked on every request with
    /// their token; from memory (<see cref="SessionStandings"/>), null for an unknown account.
    /// </summary>
    public ValueTask<SessionStanding?> SessionStandingAsync(string userId, CancellationToken cancellationToken) =>
        standings.GetAsync(userId, async () =>
            await FindAsync(userId, cancellationToken) is { } user ? new SessionStanding(user.SessionGeneration, user.Disabled) : null);

    private async Task<bool> UpdateAsync(string statement, string userId, CancellationToken cancellationToken)
    {
        return await database.WriteAsync(async connection =>
        {
            await using var update = connection.CreateCommand();
            update.CommandText = statement;
            update.AddParameter("@id", userId);
            update.AddParameter("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            return await update.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
    }

    private const string SelectUser = """
        SELECT id, user_name, display_name, role, patient_id, password_hash, locked_until, disabled_at, created_at,
               (SELECT string_agg(care_team_id, ' ' ORDER BY care_team_id) FROM care_team_members WHERE user_id = users.id),
               totp_secret, totp_enabled, totp_last_step, session_generation, patient_confirmed_at
        FROM users
        """;

    private static async Task<(UserAccount User, string Hash, (string? Secret, long? LastStep) Totp)?> FindWhereAsync(
        DbConnection connection, string condition, string key, CancellationToken cancellationToken)
    {
        await using var query = connection.CreateCommand();
        query.CommandText = $"{SelectUser} WHERE {condition};";
        query.AddParameter("@key", key);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static (UserAccount User, string Hash, (string? Secret, long? LastStep) Totp) Read(DbDataReader reader) => (new UserAccount
    {
        Id = reader.GetString(0),
        UserName = reader.GetString(1),
        DisplayName = reader.GetString(2),
        Role = reader.GetString(3),
        PatientId = reader.IsDBNull(4) ? null : reader.GetString(4),
        LockedUntil = reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        Disabled = !reader.IsDBNull(7),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        CareTeams = reader.IsDBNull(9) ? [] : reader.GetString(9).Split(' '),
        SecondFactor = reader.GetInt64(11) != 0,
        SessionGeneration = reader.GetInt64(13),
        PatientConfirmed = !reader.IsDBNull(14),
    }, reader.GetString(5), (reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(12) ? null : reader.GetInt64(12)));
}
