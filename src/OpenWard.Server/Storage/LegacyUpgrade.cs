using Microsoft.Data.Sqlite;

namespace OpenWard.Server.Storage;

/// <summary>
/// A step of the upgrade from the whole-database schema numbers OpenWard used until schema 9
/// (<c>PRAGMA user_version</c>) to the tables as they were at 9. A database older than
/// <see cref="ToSchema"/> runs it before the features' own migrations; each step checks for the
/// tables it touches, since an older database may not have them yet.
/// </summary>
public sealed record LegacyUpgrade(int ToSchema, string Description, Func<SqliteConnection, CancellationToken, Task> ApplyAsync);
