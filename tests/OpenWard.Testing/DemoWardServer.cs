namespace OpenWard.Testing;

/// <summary>The real server started with <c>--demo</c>, on a small ward with one day of history.</summary>
public sealed class DemoWardServer : RunningServer
{
    protected override IEnumerable<string> ExtraArguments => ["--demo", "--OpenWard:Demo:Patients=3", "--OpenWard:Demo:HistoryDays=1"];
}
