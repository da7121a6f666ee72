using System.Net.Sockets;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// Packets declaring more than the broker takes are refused from their fixed header: the
/// connection is closed while the sender has written only a few KiB of the body it announced.
/// </summary>
public sealed class MqttPacketSizeTests(RunningServer server) : IClassFixture<RunningServer>
{
    // Far longer than closing takes; a server that waits for the announced body instead never closes within it.
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(64 * 1024)]
    [InlineData(RawMqtt.LargestRemainingLength)]
    public async Task Connect_DeclaringMoreThanAFewKiB_IsClosedBeforeItsBodyArrives(int declaredLength)
    {
        using var client = await RawSockets.ConnectAsync(server.MqttPort);
        var stream = client.GetStream();

        await stream.WriteAsync(RawMqtt.Announcing(0x10, declaredLength, 4096), TestContext.Current.CancellationToken);

        Assert.True(await RawSockets.ClosedByServerAsync(stream, CloseWithin), "the server kept reading an oversized CONNECT");
    }

    [Fact]
    public async Task Publish_DeclaringMoreThanTheLimit_IsClosedBeforeItsBodyArrives()
    {
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        using var client = await RawSockets.ConnectAsync(server.MqttPort);
        var stream = client.GetStream();
        await stream.WriteAsync(RawMqtt.Connect(deviceId, deviceId, secret), TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack, timeout.Token);
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connack);

        await stream.WriteAsync(RawMqtt.Announcing(0x32, 64 * 1024 * 1024, 4096), TestContext.Current.CancellationToken);

        Assert.True(await RawSockets.ClosedByServerAsync(stream, CloseWithin), "the server kept reading an oversized PUBLISH");
    }

    [Fact]
    public async Task Packets_ArrivingAByteAtATime_AreReadAsUsual()
    {
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using var client = await RawSockets.ConnectAsync(server.MqttPort);
        client.NoDelay = true;
        var stream = client.GetStream();
        var reading = $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddMinutes(-1), 68)}]";

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await WriteByteByByteAsync(stream, RawMqtt.Connect(deviceId, deviceId, secret));
        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack, timeout.Token);
        await WriteByteByByteAsync(stream, RawMqtt.Publish($"devices/{deviceId}/readings", 7, reading));
        var puback = new byte[4];
        await stream.ReadExactlyAsync(puback, timeout.Token);

        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connack);
        Assert.Equal(new byte[] { 0x40, 0x02, 0x00, 0x07 }, puback);
    }

    private static async Task WriteByteByByteAsync(NetworkStream stream, byte[] packet)
    {
        for (var i = 0; i < packet.Length; i++)
        {
            await stream.WriteAsync(packet.AsMemory(i, 1), TestContext.Current.CancellationToken);
        }
    }
}
