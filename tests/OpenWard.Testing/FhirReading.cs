using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;

namespace OpenWard.Testing;

/// <summary>Readings published by a real device for the FHIR API tests, and the FHIR answers read back.</summary>
public static class FhirReading
{
    /// <summary>Publishes readings (device JSON objects) as the device, acknowledged once stored.</summary>
    public static async Task PublishAsync(this RunningServer server, string deviceId, string secret, params string[] readings)
    {
        using var device = await server.ConnectDeviceAsync(deviceId, secret);
        await device.PublishReadingsAsync($"devices/{deviceId}/readings", "[" + string.Join(",", readings) + "]");
    }

    /// <summary>A single-value reading in device JSON.</summary>
    public static string Value(string vital, DateTimeOffset time, double value, string unit) =>
        $$"""{"vital":"{{vital}}","time":"{{Publishing.Time(time)}}","value":{{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"unit":"{{unit}}"}""";

    /// <summary>A blood pressure in device JSON.</summary>
    public static string BloodPressure(DateTimeOffset time, double systolic, double diastolic) =>
        $$"""{"vital":"blood-pressure","time":"{{Publishing.Time(time)}}","components":{"systolic":{{systolic}},"diastolic":{{diastolic}}},"unit":"mm[Hg]"}""";

    /// <summary>GETs a FHIR path; the status and the JSON body.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, JsonElement Body)> GetFhirAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    /// <summary>The resources of a searchset Bundle.</summary>
    public static IReadOnlyList<JsonElement> Entries(JsonElement bundle) =>
        bundle.TryGetProperty("entry", out var entries) ? [.. entries.EnumerateArray().Select(e => e.GetProperty("resource"))] : [];

    /// <summary>The Bundle's link with this relation (e.g. <c>next</c>), or null.</summary>
    public static string? Link(JsonElement bundle, string relation) =>
        bundle.TryGetProperty("link", out var links)
            ? links.EnumerateArray().Where(l => l.GetProperty("relation").GetString() == relation).Select(l => l.GetProperty("url").GetString()).FirstOrDefault()
            : null;
}
