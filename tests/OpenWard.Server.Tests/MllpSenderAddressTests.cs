using System.Net;
using Microsoft.Extensions.Options;
using OpenWard.Server.Gateway.Mllp;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Tests;

/// <summary>Which connections count as one sender's for the MLLP connection limit.</summary>
public sealed class MllpSenderAddressTests
{
    private static readonly MllpConnectionLimits OneEach = new(Options.Create(new OpenWardOptions { Mllp = new MllpOptions { MaxConnectionsPerAddress = 1 } }));

    [Fact]
    public void IPv6Addresses_InOneSlash64_AreOneSender_SoAHostCannotDodgeTheLimitByChangingAddress()
    {
        using var first = OneEach.TryAdmit(new IPEndPoint(IPAddress.Parse("2001:db8:7:1::10"), 40001));
        using var sameHost = OneEach.TryAdmit(new IPEndPoint(IPAddress.Parse("2001:db8:7:1:abcd::99"), 40002));
        using var anotherNetwork = OneEach.TryAdmit(new IPEndPoint(IPAddress.Parse("2001:db8:7:2::10"), 40003));

        Assert.NotNull(first);
        Assert.Null(sameHost);
        Assert.NotNull(anotherNetwork);
    }

    [Fact]
    public void AnIPv4SenderSeenThroughADualStackListener_IsTheSameSenderAsItsIPv4Address()
    {
        using var mapped = OneEach.TryAdmit(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 40004));
        using var plain = OneEach.TryAdmit(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40005));
        using var neighbour = OneEach.TryAdmit(new IPEndPoint(IPAddress.Parse("192.0.2.8"), 40006));

        Assert.NotNull(mapped);
        Assert.Null(plain);
        Assert.NotNull(neighbour);
    }
}
