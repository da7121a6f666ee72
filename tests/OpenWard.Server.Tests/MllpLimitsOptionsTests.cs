using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class MllpLimitsOptionsTests
{
    [Theory]
    [InlineData("MaxConnectionsPerAddress", 0)]
    [InlineData("IdleTimeoutSeconds", 0)]
    [InlineData("FrameTimeoutSeconds", -1)]
    public async Task AServerWithAnImpossibleMllpLimit_RefusesToStart_NamingIt(string setting, int value)
    {
        var refusal = await RefusedStart.WithSettingAsync($"OpenWard:Mllp:{setting}={value}");

        Assert.Contains(setting, refusal.Message, StringComparison.Ordinal);
    }
}
