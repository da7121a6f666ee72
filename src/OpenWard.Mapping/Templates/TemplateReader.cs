using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OpenWard.Mapping.Templates;

/// <summary>
/// Reads a template's JSON and collects every problem with its line and position instead of
/// stopping at the first. Property names match case-insensitively, as the IoMT FHIR Connector's do.
/// </summary>
internal sealed class TemplateReader
{
    private static readonly JsonLoadSettings LineInfo = new()
    {
        LineInfoHandling = LineInfoHandling.Load,
        CommentHandling = CommentHandling.Ignore,
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
    };

    public List<TemplateProblem> Errors { get; } = [];

    public List<TemplateProblem> Warnings { get; } = [];

    /// <summary>Parses the text, or records why it is not JSON and returns null.</summary>
    public JToken? Parse(string json)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            var token = JToken.ReadFrom(reader, LineInfo);
            if (reader.Read())
            {
                Errors.Add(new TemplateProblem(reader.LineNumber, reader.LinePosition, "", "unexpected content after the template"));
                return null;
            }

            return token;
        }
        catch (JsonReaderException exception)
        {
            Errors.Add(new TemplateProblem(exception.LineNumber, exception.LinePosition, exception.Path ?? "", "not valid JSON: " + FirstSentence(exception.Message)));
            return null;
        }
    }

    public void Error(JToken at, string message) => Errors.Add(Locate(at, message));

    public void Warning(JToken at, string message) => Warnings.Add(Locate(at, message));

    /// <summary>A template envelope: <c>{"templateType": …, "template": …}</c>; null (with errors) when it is not one.</summary>
    public (string Type, JToken Body)? Envelope(JToken token)
    {
        if (token is not JObject envelope)
        {
            Error(token, "expected an object with \"templateType\" and \"template\"");
            return null;
        }

        var type = String(envelope, "templateType", required: true);
        var body = Property(envelope, "template");
        if (body is null)
        {
            Error(envelope, "\"template\" is required");
        }

        return type is null || body is null ? null : (type, body);
    }

    public JToken? Property(JObject owner, string name) =>
        owner.GetValue(name, StringComparison.OrdinalIgnoreCase) is { Type: not JTokenType.Null } value ? value : null;

    public string? String(JObject owner, string name, bool required)
    {
        var value = Property(owner, name);
        if (value is null)
        {
            if (required)
            {
                Error(owner, $"\"{name}\" is required");
            }

            return null;
        }

        if (value.Type != JTokenType.String || string.IsNullOrWhiteSpace((string?)value))
        {
            Error(value, $"\"{name}\" must be a non-empty string");
            return null;
        }

        return (string)value!;
    }

    /// <summary>A flag given as JSON true/false or, as many published templates do, the strings "true"/"false".</summary>
    public bool Flag(JObject owner, string name)
    {
        var value = Property(owner, name);
        switch (value)
        {
            case null:
                return false;
            case { Type: JTokenType.Boolean }:
                return (bool)value;
            case { Type: JTokenType.String } when bool.TryParse((string?)value, out var flag):
                return flag;
            default:
                Error(value, $"\"{name}\" must be true or false");
                return false;
        }
    }

    public JArray? Array(JObject owner, string name, bool required)
    {
        var value = Property(owner, name);
        if (value is null)
        {
            if (required)
            {
                Error(owner, $"\"{name}\" is required (an array)");
            }

            return null;
        }

        if (value is not JArray array)
        {
            Error(value, $"\"{name}\" must be an array");
            return null;
        }

        return array;
    }

    private static TemplateProblem Locate(JToken at, string message)
    {
        var line = (IJsonLineInfo)at;
        return new TemplateProblem(line.LineNumber, line.LinePosition, at.Path, message);
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
