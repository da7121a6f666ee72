using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenWard.Server.Alerts;

/// <summary>
/// How alerting writes JSON — stored settings and NEWS2 parameters, queued notices, the hub, the API:
/// camel case, enums by name, nulls left out.
/// </summary>
public static class AlertJson
{
    /// <summary>The shared options.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the alerting conventions to options owned by a framework (HTTP, SignalR).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }
}
