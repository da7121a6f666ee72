using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OpenWard.Core.Text;
using OpenWard.Mapping.Expressions;
using OpenWard.Mapping.Measurements;

namespace OpenWard.Mapping.Templates;

/// <summary>
/// One content template of a device mapping: which parts of a message it matches and how it
/// reads a measurement out of each.
/// </summary>
internal sealed class ContentTemplate
{
    /// <summary>The property under which calculated templates see the matched element.</summary>
    public const string MatchedToken = "matchedToken";

    private const int MaxRawLength = 2048;

    public required ContentKind Kind { get; init; }

    public required string TypeName { get; init; }

    public required TemplateExpression TypeMatch { get; init; }

    public required TemplateExpression DeviceId { get; init; }

    /// <summary>Where the time is; the first that yields a value wins.</summary>
    public required IReadOnlyList<TemplateExpression> Timestamp { get; init; }

    public TemplateExpression? PatientId { get; init; }

    public TemplateExpression? EncounterId { get; init; }

    public TemplateExpression? CorrelationId { get; init; }

    public required IReadOnlyList<ValueTemplate> Values { get; init; }

    /// <summary>Adds a measurement (or the reason there cannot be one) for each part of the message this template matches.</summary>
    public void Extract(JObject message, List<NormalizedMeasurement> measurements, List<MeasurementProblem> problems)
    {
        IEnumerable<JToken> matches;
        try
        {
            matches = TypeMatch.SelectAll(message);
        }
        catch (ExpressionFailure failure)
        {
            problems.Add(new MeasurementProblem(TypeName, "typeMatchExpression: " + failure.Message, Shorten(message)));
            return;
        }

        foreach (var match in matches)
        {
            // Calculated templates see the whole message with the match added under matchedToken;
            // the others see the match alone. The match is added for the moment of reading it
            // (Json.NET adds a copy of it) rather than copying the whole message for every match,
            // so a message with many matches costs time in proportion to its size.
            var calculated = Kind == ContentKind.Calculated;
            if (calculated)
            {
                message[MatchedToken] = ReferenceEquals(match, message) ? match.DeepClone() : match;
            }

            try
            {
                measurements.Add(Read(calculated ? message : match));
            }
            catch (ExpressionFailure failure)
            {
                problems.Add(new MeasurementProblem(TypeName, failure.Message, Shorten(match)));
            }
            finally
            {
                if (calculated)
                {
                    message.Remove(MatchedToken);
                }
            }
        }
    }

    private NormalizedMeasurement Read(JToken scope)
    {
        var deviceId = Text(scope, "deviceIdExpression", DeviceId)
            ?? throw new ExpressionFailure($"no device id at {DeviceId.Text}");
        var time = Time(scope);
        var properties = new List<MeasurementProperty>(Values.Count);
        foreach (var value in Values)
        {
            var text = Text(scope, value.Name, value.Expression);
            if (text is not null)
            {
                properties.Add(new MeasurementProperty(value.Name, text));
            }
            else if (value.Required)
            {
                throw new ExpressionFailure($"required value \"{value.Name}\" not found at {value.Expression.Text}");
            }
        }

        string? correlationId = null;
        if (CorrelationId is not null)
        {
            correlationId = Text(scope, "correlationIdExpression", CorrelationId)
                ?? throw new ExpressionFailure($"no correlation id at {CorrelationId.Text}");
        }

        return new NormalizedMeasurement
        {
            Type = TypeName,
            OccurrenceTimeUtc = time,
            DeviceId = deviceId,
            PatientId = PatientId is null ? null : Text(scope, "patientIdExpression", PatientId),
            EncounterId = EncounterId is null ? null : Text(scope, "encounterIdExpression", EncounterId),
            CorrelationId = correlationId,
            Properties = properties,
        };
    }

    private DateTimeOffset Time(JToken scope)
    {
        foreach (var expression in Timestamp)
        {
            switch (expression.SelectOne(scope))
            {
                case null:
                    continue;
                case JValue { Type: JTokenType.Date, Value: DateTime date }:
                    return new DateTimeOffset(DateTime.SpecifyKind(date, date.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc)).ToUniversalTime();
                case JValue { Type: JTokenType.Date, Value: DateTimeOffset offset }:
                    return offset.ToUniversalTime();
                case JValue { Type: JTokenType.String, Value: string text }
                    when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                    return parsed.ToUniversalTime();
                case var other:
                    throw new ExpressionFailure(
                        $"timestamp {Quote.Shorten(other.ToString(Formatting.None))} at {expression.Text} is not a date and time"
                        + (other.Type is JTokenType.Integer or JTokenType.Float ? " (Unix times need fromUnixTimestamp() or fromUnixTimestampMs())" : ""));
            }
        }

        throw new ExpressionFailure($"no timestamp at {string.Join(" or ", Timestamp.Select(t => t.Text))}");
    }

    private static string? Text(JToken scope, string name, TemplateExpression expression)
    {
        var token = expression.SelectOne(scope);
        return token switch
        {
            null or { Type: JTokenType.Null } => null,
            JValue { Type: JTokenType.String } value => (string?)value,
            JValue { Type: JTokenType.Float } value => ((double)value).ToString("R", CultureInfo.InvariantCulture),
            JValue { Type: JTokenType.Date, Value: DateTime date } => date.ToString("O", CultureInfo.InvariantCulture),
            JValue value => Convert.ToString(value.Value, CultureInfo.InvariantCulture),
            _ => throw new ExpressionFailure($"\"{name}\" at {expression.Text} is {token.Type.ToString().ToLowerInvariant()}, not a single value"),
        };
    }

    private static string Shorten(JToken token)
    {
        var json = token.ToString(Formatting.None);
        return json.Length <= MaxRawLength ? json : json[..MaxRawLength];
    }
}
