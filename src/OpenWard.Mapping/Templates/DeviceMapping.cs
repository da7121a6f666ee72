using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OpenWard.Mapping.Measurements;

namespace OpenWard.Mapping.Templates;

/// <summary>
/// A device mapping template: a <c>CollectionContent</c> of <c>JsonPathContent</c>,
/// <c>IotJsonPathContent</c>, <c>IotCentralJsonPathContent</c> and <c>CalculatedContent</c>
/// templates, in the IoMT FHIR Connector's format, that turns a vendor's JSON messages into
/// measurements. Loaded once, it is safe to use from many threads.
/// </summary>
public sealed class DeviceMapping
{
    private readonly IReadOnlyList<ContentTemplate> templates;

    private DeviceMapping(IReadOnlyList<ContentTemplate> templates) => this.templates = templates;

    /// <summary>The type names the mapping produces, in its order.</summary>
    public IReadOnlyList<string> TypeNames => templates.Select(t => t.TypeName).ToList();

    /// <summary>Loads and checks a device mapping, reporting every error with its location.</summary>
    public static TemplateLoad<DeviceMapping> Load(string json)
    {
        var reader = new TemplateReader();
        var templates = new List<ContentTemplate>();
        if (reader.Parse(json) is { } root && reader.Envelope(root) is var (type, body))
        {
            if (!type.Equals("CollectionContent", StringComparison.OrdinalIgnoreCase))
            {
                reader.Error(root, $"templateType must be \"CollectionContent\", not \"{type}\"");
            }
            else if (body is not JArray entries)
            {
                reader.Error(body, "\"template\" of a CollectionContent must be an array of content templates");
            }
            else
            {
                foreach (var entry in entries)
                {
                    if (ContentTemplateReader.Read(reader, entry) is { } template)
                    {
                        templates.Add(template);
                    }
                }
            }
        }

        return reader.Errors.Count > 0
            ? new TemplateLoad<DeviceMapping> { Errors = reader.Errors, Warnings = reader.Warnings }
            : new TemplateLoad<DeviceMapping> { Template = new DeviceMapping(templates), Warnings = reader.Warnings };
    }

    /// <summary>
    /// Reads the measurements in one message. <paramref name="deviceId"/> and
    /// <paramref name="received"/>, when known, stand in for the IoT Hub's device id and enqueued time.
    /// </summary>
    public MeasurementExtraction Extract(string messageJson, string? deviceId = null, DateTimeOffset? received = null)
    {
        JObject message;
        try
        {
            message = DeviceMessage.Shape(messageJson, deviceId, received);
        }
        catch (JsonReaderException exception)
        {
            return new MeasurementExtraction { MessageProblem = $"the message is not JSON: line {exception.LineNumber}, position {exception.LinePosition}" };
        }

        var measurements = new List<NormalizedMeasurement>();
        var problems = new List<MeasurementProblem>();
        foreach (var template in templates)
        {
            template.Extract(message, measurements, problems);
        }

        return new MeasurementExtraction { Measurements = measurements, Problems = problems };
    }
}
