using OpenWard.Mapping.Measurements;
using OpenWard.Mapping.Templates;

namespace OpenWard.Mapping.Tests;

/// <summary>Loads a device mapping that must be valid and extracts a message with it.</summary>
internal static class Extracted
{
    public static DeviceMapping Mapping(string templateJson)
    {
        var load = DeviceMapping.Load(templateJson);
        Assert.True(load.Template is not null, string.Join(Environment.NewLine, load.Errors));
        return load.Template!;
    }

    public static MeasurementExtraction From(string templateJson, string messageJson, string? deviceId = null, DateTimeOffset? received = null)
    {
        var extraction = Mapping(templateJson).Extract(messageJson, deviceId, received);
        Assert.Null(extraction.MessageProblem);
        return extraction;
    }

    public static string Values(NormalizedMeasurement measurement) =>
        string.Join(",", measurement.Properties.Select(p => $"{p.Name}={p.Value}"));

    public static string Time(NormalizedMeasurement measurement) => measurement.OccurrenceTimeUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", System.Globalization.CultureInfo.InvariantCulture);
}
