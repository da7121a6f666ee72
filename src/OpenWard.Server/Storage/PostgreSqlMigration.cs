namespace OpenWard.Server.Storage;

/// <summary>One numbered step of a feature's tables in PostgreSQL: SQL that runs once, inside the start-up migration's transaction.</summary>
public sealed record PostgreSqlMigration(int Number, string Description, string Statements);
