using OpenWard.Server.Storage;

namespace OpenWard.Server.Identity;

/// <summary>
/// The attempts at the sign-in form and the token endpoint from each network address in its current
/// minute, through which the nodes of a cluster share one allowance (<see cref="SignInAttemptCounts"/>).
/// One node counts in memory and leaves the table empty; it is on both engines so that a store has the
/// same tables whichever way its nodes run.
/// </summary>
public static class SignInLimitsSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("sign-in-limits",
    [
        SchemaMigration.Sql(1, "sign-in and token attempts per address, shared by the nodes of a cluster", """
            CREATE TABLE sign_in_attempts (
                purpose      TEXT NOT NULL,
                address      TEXT NOT NULL,
                window_start INTEGER NOT NULL,
                attempts     INTEGER NOT NULL,
                PRIMARY KEY (purpose, address)
            );
            CREATE INDEX sign_in_attempts_by_window ON sign_in_attempts (window_start);
            """),
    ])
    {
        PostgreSql =
        [
            new(1, "sign-in and token attempts per address, shared by the nodes of a cluster", """
                CREATE TABLE sign_in_attempts (
                    purpose      TEXT NOT NULL,
                    address      TEXT NOT NULL,
                    window_start BIGINT NOT NULL,
                    attempts     BIGINT NOT NULL,
                    PRIMARY KEY (purpose, address)
                );
                CREATE INDEX sign_in_attempts_by_window ON sign_in_attempts (window_start);
                """),
        ],
    };
}
