using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Devices;

namespace OpenWard.Server.Tests;

/// <summary>
/// What a node knows of its devices' connections, its own and, as the other nodes sharing the store tell
/// it, theirs: a device is offline only when no node holds it, and a device heard of on a node that stopped
/// saying so counts as gone from when that node last said it.
/// </summary>
public sealed class DeviceConnectivityTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan OfflineAfter = TimeSpan.FromMinutes(15);

    [Fact]
    public void ADeviceThatLeftThisNodeForAnother_IsNotOffline()
    {
        var (clock, connectivity) = Create();
        connectivity.Connected("band-1");
        clock.Advance(TimeSpan.FromMinutes(1));
        // It connects through node b, which closes its older session here.
        Assert.True(connectivity.HeardConnectedElsewhere("band-1", "node-b", clock.GetUtcNow()));
        connectivity.Disconnected("band-1", clock.GetUtcNow());

        // The other node says again that it holds the device, each minute.
        for (var minute = 0; minute < 30; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            connectivity.HeardConnectedElsewhere("band-1", "node-b", clock.GetUtcNow());
            Assert.Empty(connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));
        }

        Assert.True(connectivity.IsConnected("band-1"));
    }

    [Fact]
    public void ADeviceOnANodeThatStoppedSayingSo_IsOfflineFromWhenItLastDid()
    {
        var (clock, connectivity) = Create();
        connectivity.HeardConnectedElsewhere("band-1", "node-c", clock.GetUtcNow());
        var lastSaid = clock.GetUtcNow();

        clock.Advance(OfflineAfter - TimeSpan.FromMinutes(1));
        Assert.Empty(connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));
        Assert.False(connectivity.IsConnected("band-1"));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([("band-1", lastSaid)], connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));
        Assert.Empty(connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));

        // It connects again through a surviving node: back online, its alert to be resolved.
        connectivity.HeardConnectedElsewhere("band-1", "node-a", clock.GetUtcNow());
        Assert.Equal(["band-1"], connectivity.BackOnline());
    }

    [Fact]
    public void ADeviceThatDisconnectedFromAnotherNode_IsOfflineFromThen_UnlessAThirdHoldsIt()
    {
        var (clock, connectivity) = Create();
        connectivity.HeardConnectedElsewhere("band-1", "node-b", clock.GetUtcNow());
        connectivity.HeardConnectedElsewhere("band-2", "node-b", clock.GetUtcNow());
        connectivity.HeardConnectedElsewhere("band-2", "node-c", clock.GetUtcNow());
        var gone = clock.GetUtcNow().AddSeconds(10);
        connectivity.HeardDisconnectedElsewhere("band-1", "node-b", gone);
        connectivity.HeardDisconnectedElsewhere("band-2", "node-b", gone);

        clock.Advance(OfflineAfter + TimeSpan.FromSeconds(10));
        connectivity.HeardConnectedElsewhere("band-2", "node-c", clock.GetUtcNow());
        Assert.Equal([("band-1", gone)], connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));
    }

    [Fact]
    public void ANewConnectionElsewhere_TakesOverAnOlderSessionHere_NotANewerOne()
    {
        var (clock, connectivity) = Create();
        var before = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(1));
        connectivity.Connected("band-1");
        Assert.False(connectivity.HeardConnectedElsewhere("band-1", "node-b", before), "a connection elsewhere older than the session here");

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(connectivity.HeardConnectedElsewhere("band-1", "node-b", clock.GetUtcNow()), "a connection elsewhere newer than the session here");
        Assert.False(connectivity.HeardConnectedElsewhere("band-2", "node-b", clock.GetUtcNow()), "no session here");
    }

    [Fact]
    public void ThisNodesConnectsAndDisconnects_AreToldToTheOthers_InOrder()
    {
        var (clock, connectivity) = Create();
        connectivity.Connected("band-1");
        connectivity.Connected("band-1");
        connectivity.Disconnected("band-1", clock.GetUtcNow());
        connectivity.Disconnected("band-1", clock.GetUtcNow());

        Assert.Equal(
            [("band-1", true), ("band-1", true), ("band-1", false)],
            connectivity.TakeChangesToTell().Select(c => (c.DeviceId, c.Connected)));
        Assert.Empty(connectivity.TakeChangesToTell());
        Assert.Empty(connectivity.ConnectedHere());
    }

    [Fact]
    public void ADeviceReportedOffline_ThatConnectsForAMoment_IsBackOnline_AndWatchedAgainFromItsNewAbsence()
    {
        var (clock, connectivity) = Create();
        connectivity.Connected("scale-1");
        connectivity.Disconnected("scale-1", clock.GetUtcNow());
        clock.Advance(OfflineAfter);
        Assert.Single(connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));

        // It sends its weight and leaves between two rounds of the watcher.
        clock.Advance(TimeSpan.FromHours(3));
        connectivity.Connected("scale-1");
        var left = clock.GetUtcNow();
        connectivity.Disconnected("scale-1", left);
        Assert.Equal(["scale-1"], connectivity.BackOnline());

        clock.Advance(OfflineAfter);
        Assert.Equal([("scale-1", left)], connectivity.NewlyOffline(clock.GetUtcNow(), OfflineAfter));
    }

    [Fact]
    public void EachConnection_AddsTheTimeSinceTheDeviceWasLastHeardFrom_AndThreeGapsMakeAnInterval()
    {
        var (clock, connectivity) = Create();
        connectivity.Connected("scale-1");
        foreach (var hours in new[] { 24, 30, 23 })
        {
            connectivity.Disconnected("scale-1", clock.GetUtcNow());
            Assert.Null(connectivity.GapsOf("scale-1").Expected);
            clock.Advance(TimeSpan.FromHours(hours));
            connectivity.Connected("scale-1");
        }

        Assert.Equal(TimeSpan.FromHours(24), connectivity.GapsOf("scale-1").Expected);
        Assert.Equal("86400 108000 82800", connectivity.GapsOf("scale-1").Stored);
    }

    [Fact]
    public void ReportingGaps_KeepTheLatestFive_AndOneLongOutageDoesNotStretchTheInterval()
    {
        var gaps = ReportingGaps.Parse("60 60 60 60");
        gaps = gaps.With(TimeSpan.FromHours(8)).With(TimeSpan.FromSeconds(61.9));
        Assert.Equal("60 60 60 28800 61", gaps.Stored);
        Assert.Equal(TimeSpan.FromSeconds(60), gaps.Expected);
        Assert.Equal(ReportingGaps.None, ReportingGaps.Parse("not a gap"));
    }

    private static (FakeTimeProvider Clock, DeviceConnectivity Connectivity) Create()
    {
        var clock = new FakeTimeProvider(Start);
        return (clock, new DeviceConnectivity(clock));
    }
}
