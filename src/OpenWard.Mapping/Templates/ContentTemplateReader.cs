using Newtonsoft.Json.Linq;
using OpenWard.Mapping.Expressions;

namespace OpenWard.Mapping.Templates;

/// <summary>Reads one content template of a device mapping, recording every problem it finds.</summary>
internal static class ContentTemplateReader
{
    private static readonly Dictionary<string, ContentKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["JsonPathContent"] = ContentKind.JsonPath,
        ["JsonPathContentTemplate"] = ContentKind.JsonPath,
        ["IotJsonPathContent"] = ContentKind.IotJsonPath,
        ["IotJsonPathContentTemplate"] = ContentKind.IotJsonPath,
        ["IotCentralJsonPathContent"] = ContentKind.IotCentralJsonPath,
        ["CalculatedContent"] = ContentKind.Calculated,
    };

    public static ContentTemplate? Read(TemplateReader reader, JToken entry)
    {
        if (reader.Envelope(entry) is not var (type, body))
        {
            return null;
        }

        if (!Kinds.TryGetValue(type, out var kind))
        {
            reader.Error(entry, $"unknown templateType \"{type}\"; expected JsonPathContent, IotJsonPathContent, IotCentralJsonPathContent or CalculatedContent");
            return null;
        }

        if (body is not JObject template)
        {
            reader.Error(body, $"\"template\" of a {type} must be an object");
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var language = DefaultLanguage(reader, template, kind);
        var typeName = reader.String(template, "typeName", required: true);
        var typeMatch = Expression(reader, template, "typeMatchExpression", kind, language, required: true);
        var deviceId = kind switch
        {
            ContentKind.IotJsonPath => Fixed("$.SystemProperties.iothub-connection-device-id"),
            ContentKind.IotCentralJsonPath => Fixed("$.deviceId"),
            _ => Expression(reader, template, "deviceIdExpression", kind, language, required: true),
        };
        IReadOnlyList<TemplateExpression?> timestamp = kind switch
        {
            ContentKind.IotJsonPath => [Fixed("$.Properties.iothub-creation-time-utc"), Fixed("$.SystemProperties.iothub-enqueuedtime")],
            ContentKind.IotCentralJsonPath => [Fixed("$.enqueuedTime")],
            _ => [Expression(reader, template, "timestampExpression", kind, language, required: true)],
        };
        var patientId = Expression(reader, template, "patientIdExpression", kind, language, required: false);
        var encounterId = Expression(reader, template, "encounterIdExpression", kind, language, required: false);
        var correlationId = Expression(reader, template, "correlationIdExpression", kind, language, required: false);
        var values = Values(reader, template, kind, language);

        if (reader.Errors.Count > errorsBefore)
        {
            return null;
        }

        return new ContentTemplate
        {
            Kind = kind,
            TypeName = typeName!,
            TypeMatch = typeMatch!,
            DeviceId = deviceId!,
            Timestamp = timestamp.Select(t => t!).ToList(),
            PatientId = patientId,
            EncounterId = encounterId,
            CorrelationId = correlationId,
            Values = values,
        };
    }

    private static List<ValueTemplate> Values(TemplateReader reader, JObject template, ContentKind kind, ExpressionLanguage language)
    {
        var values = new List<ValueTemplate>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in reader.Array(template, "values", required: false) ?? [])
        {
            if (entry is not JObject value)
            {
                reader.Error(entry, "each entry of \"values\" must be an object with valueName and valueExpression");
                continue;
            }

            var name = reader.String(value, "valueName", required: true);
            var expression = Expression(reader, value, "valueExpression", kind, language, required: true);
            var required = reader.Flag(value, "required");
            if (name is not null && !names.Add(name))
            {
                reader.Error(value, $"valueName \"{name}\" appears twice in this template");
            }

            if (name is not null && expression is not null)
            {
                values.Add(new ValueTemplate(name, expression, required));
            }
        }

        return values;
    }

    private static ExpressionLanguage DefaultLanguage(TemplateReader reader, JObject template, ContentKind kind)
    {
        if (reader.Property(template, "defaultExpressionLanguage") is not { } given)
        {
            return ExpressionLanguage.JsonPath;
        }

        if (kind == ContentKind.Calculated && Language((string?)given) is { } language)
        {
            return language;
        }

        reader.Error(given, kind == ContentKind.Calculated
            ? "defaultExpressionLanguage must be \"JsonPath\" or \"JmesPath\""
            : "defaultExpressionLanguage is only for CalculatedContent templates");
        return ExpressionLanguage.JsonPath;
    }

    /// <summary>An expression given as a string or as <c>{"value": …, "language": …}</c>.</summary>
    private static TemplateExpression? Expression(
        TemplateReader reader, JObject owner, string name, ContentKind kind, ExpressionLanguage defaultLanguage, bool required)
    {
        var given = reader.Property(owner, name);
        if (given is null)
        {
            if (required)
            {
                reader.Error(owner, $"\"{name}\" is required");
            }

            return null;
        }

        string? text;
        var language = defaultLanguage;
        if (given is JObject structured)
        {
            text = reader.String(structured, "value", required: true);
            if (reader.Property(structured, "language") is { } declared)
            {
                if (Language((string?)declared) is not { } parsed)
                {
                    reader.Error(declared, "language must be \"JsonPath\" or \"JmesPath\"");
                    return null;
                }

                language = parsed;
            }
        }
        else if (given.Type == JTokenType.String && !string.IsNullOrWhiteSpace((string?)given))
        {
            text = (string)given!;
        }
        else
        {
            reader.Error(given, $"\"{name}\" must be an expression string or {{\"value\", \"language\"}}");
            return null;
        }

        if (text is null)
        {
            return null;
        }

        if (language == ExpressionLanguage.JmesPath && kind != ContentKind.Calculated)
        {
            reader.Error(given, "JMESPath expressions are only for CalculatedContent templates");
            return null;
        }

        var (expression, problem) = TemplateExpression.Compile(text, language);
        if (problem is not null)
        {
            reader.Error(given, problem);
        }

        return expression;
    }

    private static ExpressionLanguage? Language(string? text) =>
        Enum.TryParse<ExpressionLanguage>(text, ignoreCase: true, out var language) ? language : null;

    private static TemplateExpression Fixed(string jsonPath) => new JsonPathQuery(jsonPath);
}
