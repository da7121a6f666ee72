using System.Text.Json;

namespace OpenWard.Simulator.Devices;

/// <summary>Writes simulated readings as an OpenWard device JSON v1 payload.</summary>
public static class DeviceJson
{
    /// <summary>The UTF-8 payload for one upload.</summary>
    public static byte[] Serialize(IReadOnlyList<SimulatedReading> readings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var reading in readings)
            {
                json.WriteStartObject();
                WriteReading(json, reading);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>Writes one reading's members (vital, time, value or components, unit) into an open JSON object.</summary>
    public static void WriteReading(Utf8JsonWriter json, SimulatedReading reading)
    {
        json.WriteString("vital", reading.Vital);
        json.WriteString("time", reading.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        if (reading.Value is { } value)
        {
            json.WriteNumber("value", value);
        }

        if (reading.Components is { } components)
        {
            json.WriteStartObject("components");
            foreach (var (name, component) in components)
            {
                json.WriteNumber(name, component);
            }

            json.WriteEndObject();
        }

        json.WriteString("unit", reading.Unit);
    }
}
