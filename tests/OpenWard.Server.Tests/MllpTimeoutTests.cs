using System.Net.Sockets;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, whose MLLP connections must start a frame within two seconds and finish it within two more.</summary>
public sealed class MllpTimeoutTests(MllpTimeoutTests.QuickTimeouts server) : IClassFixture<MllpTimeoutTests.QuickTimeouts>
{
    public sealed class QuickTimeouts : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:Mllp:IdleTimeoutSeconds=2", "--OpenWard:Mllp:FrameTimeoutSeconds=2"];
    }

    // Far longer than the time-outs; a server without them never closes within it.
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFrameTrickledInByteByByte_IsClosedWhenItsTimeIsUp()
    {
        using var client = await RawSockets.ConnectAsync(server.MllpPort);
        client.NoDelay = true;
        var stream = client.GetStream();
        await stream.WriteAsync((byte[])[0x0B, .. new byte[64 * 1024]], TestContext.Current.CancellationToken);

        var closed = RawSockets.ClosedByServerAsync(stream, CloseWithin);
        await TrickleUntilAsync(stream, closed);

        Assert.True(await closed, "a frame that never ends kept its connection");
    }

    [Fact]
    public async Task AConnectionThatSendsNoFurtherFrame_IsClosedAfterTheIdleTime()
    {
        using var client = await RawSockets.ConnectAsync(server.MllpPort);
        var stream = client.GetStream();
        Assert.NotNull(await MllpFrames.ExchangeAsync(stream, "not HL7"));

        Assert.True(await RawSockets.ClosedByServerAsync(stream, CloseWithin), "an idle connection was kept");
    }

    /// <summary>Sends one more byte of the frame every tenth of a second until the connection is closed.</summary>
    private static async Task TrickleUntilAsync(NetworkStream stream, Task closed)
    {
        while (!closed.IsCompleted)
        {
            try
            {
                await stream.WriteAsync("x"u8.ToArray(), TestContext.Current.CancellationToken);
            }
            catch (IOException)
            {
                return;
            }

            await Task.WhenAny(closed, Task.Delay(100, TestContext.Current.CancellationToken));
        }
    }
}
