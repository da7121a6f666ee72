using System.Net.Http.Headers;
using System.Text;

namespace OpenWard.Server.Gateway.Http;

/// <summary>Reads a device's id and secret from an HTTP Basic <c>Authorization</c> header.</summary>
public static class DeviceBasicCredentials
{
    /// <summary>The device id and secret, or null when the header is missing or malformed.</summary>
    public static (string DeviceId, string Secret)? Read(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[512];
        if (!Convert.TryFromBase64String(header.Parameter, buffer, out var length))
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer[..length]);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? null : (text[..colon], text[(colon + 1)..]);
    }
}
