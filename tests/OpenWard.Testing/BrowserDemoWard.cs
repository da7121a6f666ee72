namespace OpenWard.Testing;

/// <summary>The demo ward (eight patients, three days of history, devices running) with Chromium, for the console as people first see it.</summary>
public sealed class BrowserDemoWard : BrowserWard
{
    /// <inheritdoc />
    protected override IEnumerable<string> ExtraArguments => ["--demo", "--OpenWard:Demo:Patients=8", "--OpenWard:Demo:HistoryDays=3"];
}
