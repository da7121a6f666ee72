using System.Net;
using OpenWard.Core.Hl7;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server, which allows two open MLLP connections from one address.</summary>
public sealed class MllpConnectionLimitTests(MllpConnectionLimitTests.TwoConnectionsAnAddress server) : IClassFixture<MllpConnectionLimitTests.TwoConnectionsAnAddress>
{
    public sealed class TwoConnectionsAnAddress : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:Mllp:MaxConnectionsPerAddress=2"];
    }

    private const string NotHl7 = "not HL7";

    // Far longer than closing takes; a server that keeps the connection never closes within it (its time-outs are minutes).
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConnectionsFromOneAddress_BeyondTheLimit_AreClosed_WhileOtherAddressesAreServed()
    {
        var sender = IPAddress.Parse("127.0.0.21");
        using var first = await RawSockets.ConnectAsync(server.MllpPort, sender);
        using var second = await RawSockets.ConnectAsync(server.MllpPort, sender);
        await AssertServedAsync(first, second);

        using var third = await RawSockets.ConnectAsync(server.MllpPort, sender);
        using var elsewhere = await RawSockets.ConnectAsync(server.MllpPort, IPAddress.Parse("127.0.0.22"));

        Assert.True(await RawSockets.ClosedByServerAsync(third.GetStream(), CloseWithin), "a third connection from one address was kept");
        Assert.NotNull(await MllpFrames.ExchangeAsync(elsewhere.GetStream(), NotHl7));
        Assert.NotNull(await MllpFrames.ExchangeAsync(first.GetStream(), NotHl7));
    }

    [Fact]
    public async Task AnAddressAtItsLimit_IsServedAgain_OnceOneOfItsConnectionsCloses()
    {
        var sender = IPAddress.Parse("127.0.0.23");
        using var first = await RawSockets.ConnectAsync(server.MllpPort, sender);
        using var second = await RawSockets.ConnectAsync(server.MllpPort, sender);
        await AssertServedAsync(first, second);

        first.Close();

        Assert.True(await EventuallyServedAsync(sender), "the address was not served again after one of its connections closed");
    }

    [Fact]
    public async Task AFrameOverTheLimit_IsRejectedAndTheConnectionClosed_BeforeItsEnd()
    {
        using var client = await RawSockets.ConnectAsync(server.MllpPort);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await stream.WriteAsync((byte[])[0x0B, .. new byte[Hl7Message.MaxLength + 16]], timeout.Token);
        var ack = await MllpFrames.ReadFrameAsync(stream, timeout.Token);

        Assert.NotNull(ack);
        Assert.True(Hl7Message.TryParse(ack, out var parsed, out var problem), problem);
        Assert.Equal("AR", parsed!.First("MSA")!.Get(1));
        Assert.Contains("MLLP frame reached", parsed.First("MSA")!.Get(3), StringComparison.Ordinal);
        Assert.True(await RawSockets.ClosedByServerAsync(stream, CloseWithin));
    }

    [Fact]
    public async Task AFrameThatFillsTheListenersBufferExactly_IsRejectedAtOnce_NotLeftToTimeOut()
    {
        using var client = await RawSockets.ConnectAsync(server.MllpPort);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        // Start block and content: exactly 1 MiB, where the listener stops reading until some is consumed.
        await stream.WriteAsync((byte[])[0x0B, .. new byte[Hl7Message.MaxLength - 1]], timeout.Token);
        var ack = await MllpFrames.ReadFrameAsync(stream, timeout.Token);

        Assert.NotNull(ack);
        Assert.True(Hl7Message.TryParse(ack, out var parsed, out var problem), problem);
        Assert.Equal("AR", parsed!.First("MSA")!.Get(1));
        Assert.Contains("MLLP frame reached", parsed.First("MSA")!.Get(3), StringComparison.Ordinal);
    }

    /// <summary>Each connection is answered, so the server holds it open.</summary>
    private static async Task AssertServedAsync(params System.Net.Sockets.TcpClient[] connections)
    {
        foreach (var connection in connections)
        {
            Assert.NotNull(await MllpFrames.ExchangeAsync(connection.GetStream(), NotHl7));
        }
    }

    /// <summary>The server notices the close when it next reads; retries for at most 10 s.</summary>
    private async Task<bool> EventuallyServedAsync(IPAddress sender)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var client = await RawSockets.ConnectAsync(server.MllpPort, sender);
            if (await MllpFrames.ExchangeAsync(client.GetStream(), NotHl7) is not null)
            {
                return true;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        return false;
    }
}
