using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OpenWard.Mapping.Measurements;

/// <summary>
/// Shapes a message the way the templates expect to see it: an IoT Hub style event
/// <c>{"Body": …, "Properties": {…}, "SystemProperties": {…}}</c>. A message that already has
/// that shape is taken as it is; any other JSON becomes its <c>Body</c>. When OpenWard knows the
/// sending device and the time it arrived, they fill <c>iothub-connection-device-id</c> and
/// <c>iothub-enqueuedtime</c>, so IoT Hub templates work unchanged.
/// </summary>
internal static class DeviceMessage
{
    public const string DeviceIdProperty = "iothub-connection-device-id";
    public const string EnqueuedTimeProperty = "iothub-enqueuedtime";

    /// <summary>Parses and shapes a message; throws <see cref="JsonReaderException"/> when it is not JSON.</summary>
    public static JObject Shape(string json, string? deviceId, DateTimeOffset? received)
    {
        using var reader = new JsonTextReader(new StringReader(json))
        {
            DateParseHandling = DateParseHandling.None,
            MaxDepth = 64,
        };
        var token = JToken.ReadFrom(reader);
        var message = token is JObject candidate && candidate.ContainsKey("Body")
            ? candidate
            : new JObject { ["Body"] = token };

        if (message["Properties"] is not JObject)
        {
            message["Properties"] = new JObject();
        }

        if (message["SystemProperties"] is not JObject system)
        {
            system = new JObject();
            message["SystemProperties"] = system;
        }

        if (deviceId is not null && system[DeviceIdProperty] is null)
        {
            system[DeviceIdProperty] = deviceId;
        }

        if (received is { } time && system[EnqueuedTimeProperty] is null)
        {
            system[EnqueuedTimeProperty] = time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        return message;
    }
}
