namespace OpenWard.Testing;

/// <summary>A server logging at the levels OpenWard ships with (appsettings.json), not the quieter test levels.</summary>
public sealed class ProductionLoggingServer : RunningServer
{
    protected override IEnumerable<string> ExtraArguments => ["--Logging:LogLevel:Default=Information"];
}
