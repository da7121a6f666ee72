using OpenWard.Server.Storage;

namespace OpenWard.Server.DeadLetters;

/// <summary>The dead letters: every refused payload or item, with its reason and raw text.</summary>
public static class DeadLettersSchema
{
    /// <summary>The feature's migrations.</summary>
    public static FeatureSchema Definition { get; } = new("dead-letters",
    [
        SchemaMigration.Sql(1, "dead letters as at schema 9", """
            CREATE TABLE IF NOT EXISTS dead_letters (
                id          INTEGER PRIMARY KEY,
                received_at INTEGER NOT NULL,
                channel     TEXT NOT NULL,
                device_id   TEXT NOT NULL,
                item_index  INTEGER NULL,
                reason      TEXT NOT NULL,
                raw         TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_dead_letters_received ON dead_letters(received_at);
            """),
    ]);
}
