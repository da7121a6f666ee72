namespace OpenWard.Cli.Bench;

/// <summary>The broker answered a benchmark device with something other than what MQTT 5 promises it.</summary>
public sealed class BenchConnectionException(string message) : Exception(message);
