using OpenWard.Server.Gateway;

namespace OpenWard.Server.Tests;

/// <summary><c>--urls</c> in each spelling the command line accepts is kept from the host for the listeners bound in code.</summary>
public sealed class ApiUrlsArgumentTests
{
    [Theory]
    [InlineData("--urls", "https://0.0.0.0:6443")]
    [InlineData("--URLS", "https://0.0.0.0:6443")]
    [InlineData("/urls", "https://0.0.0.0:6443")]
    [InlineData("--urls=https://0.0.0.0:6443", null)]
    [InlineData("/Urls=https://0.0.0.0:6443", null)]
    public void Urls_InAnySpelling_BecomeOpenWardsOwnSetting(string argument, string? value)
    {
        string[] args = value is null ? ["--demo", argument, "--OpenWard:Mqtt:Port=0"] : ["--demo", argument, value, "--OpenWard:Mqtt:Port=0"];

        Assert.Equal(["--demo", "--OpenWard:Urls=https://0.0.0.0:6443", "--OpenWard:Mqtt:Port=0"], NetworkListeners.KeepUrlsFromHost(args));
    }

    [Fact]
    public void OtherArguments_AreKeptAsTheyAre()
    {
        string[] args = ["--urlsFile=x", "--OpenWard:DataDirectory", "/urls/data", "plain"];

        Assert.Equal(args, NetworkListeners.KeepUrlsFromHost(args));
    }
}
