using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>Each feature's settings are checked at start, nested ones and lists of them included: a value out of range stops the server, naming it.</summary>
public sealed class SettingsValidationTests
{
    [Theory]
    [InlineData("OpenWard:SignIn:LockoutAfterFailures", "0", "LockoutAfterFailures")]
    [InlineData("OpenWard:Devices:Burst", "0", "Burst")]
    [InlineData("OpenWard:Audit:AnchorIntervalSeconds", "0", "AnchorIntervalSeconds")]
    [InlineData("OpenWard:Alerting:DeliveryAttempts", "0", "DeliveryAttempts")]
    [InlineData("OpenWard:Alerting:Email:Port", "70000", "OpenWard:Alerting:Email:Port")]
    [InlineData("OpenWard:Orleans:SiloPort", "0", "OpenWard:Orleans:SiloPort")]
    [InlineData("OpenWard:Display:GlucoseUnit", "mg", "GlucoseUnit")]
    public async Task AServerWithASettingOutOfRange_RefusesToStart_NamingIt(string setting, string value, string named)
    {
        var refusal = await RefusedStart.WithSettingAsync($"{setting}={value}");

        Assert.Contains(named, refusal.Message, StringComparison.Ordinal);
    }
}
