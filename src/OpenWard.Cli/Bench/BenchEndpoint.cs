using System.Globalization;

namespace OpenWard.Cli.Bench;

/// <summary>An MQTT listener the benchmark's devices connect to: one node of a cluster, or the only server.</summary>
public sealed record BenchEndpoint(string Host, int Port)
{
    /// <summary>Reads <c>host:port</c>; null with a reason when it is not one.</summary>
    public static BenchEndpoint? TryParse(string text, out string? problem)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            problem = $"\"{text}\" is not host:port";
            return null;
        }

        problem = null;
        return new BenchEndpoint(text[..colon], port);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
