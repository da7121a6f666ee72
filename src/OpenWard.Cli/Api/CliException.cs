namespace OpenWard.Cli.Api;

/// <summary>A failure to report to the user as one line on standard error, with exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
