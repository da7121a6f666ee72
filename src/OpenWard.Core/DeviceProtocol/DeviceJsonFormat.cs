using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using OpenWard.Core.Text;

namespace OpenWard.Core.DeviceProtocol;

/// <summary>
/// Decodes OpenWard device JSON format v1 (see docs/device-protocol.md): a JSON array of readings,
/// each <c>{"vital", "time", "value" | "components", "unit", "seq"?}</c>. A single reading object is
/// accepted as a batch of one. Decoding never throws on device input: each element either decodes
/// or carries the reason it did not.
/// </summary>
public static class DeviceJsonFormat
{
    /// <summary>The largest payload accepted, in bytes (256 KiB).</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>The most readings one payload may carry.</summary>
    public const int MaxReadingsPerPayload = 10_000;

    /// <summary>How much of a refused element's JSON is kept for the dead-letter store.</summary>
    public const int MaxRawFragmentLength = 2_048;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>Decodes a payload held in one buffer.</summary>
    public static DecodedBatch Decode(ReadOnlyMemory<byte> payload) => Decode(new ReadOnlySequence<byte>(payload));

    /// <summary>Decodes a payload, possibly split across buffers (as MQTT delivers it).</summary>
    public static DecodedBatch Decode(ReadOnlySequence<byte> payload)
    {
        if (payload.Length > MaxPayloadBytes)
        {
            return Refused(payload, FormattableString.Invariant(
                $"payload of {payload.Length} bytes is larger than the limit of {MaxPayloadBytes} bytes"));
        }

        if (payload.IsEmpty)
        {
            return Refused(payload, "payload is empty; expected a JSON array of readings");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Refused(payload, $"payload is not valid JSON: {JsonSyntaxError.Describe(e)}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                return new DeviceJsonBatch(payload) { Items = [DecodeElement(0, root)] };
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return Refused(payload, $"payload is a JSON {Describe(root.ValueKind)}; expected an array of readings");
            }

            var count = root.GetArrayLength();
            if (count == 0)
            {
                return Refused(payload, "payload is an empty array; expected at least one reading");
            }

            if (count > MaxReadingsPerPayload)
            {
                return Refused(payload, FormattableString.Invariant(
                    $"payload holds {count} readings, more than the limit of {MaxReadingsPerPayload}"));
            }

            var items = new List<SubmittedItem>(count);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                items.Add(DecodeElement(index++, element));
            }

            return new DeviceJsonBatch(payload) { Items = items };
        }
    }

    private static DecodedBatch Refused(ReadOnlySequence<byte> payload, string reason) =>
        DecodedBatch.Refused(PayloadRefusal.Of(reason, payload));

    /// <summary>
    /// The raw JSON text of element <paramref name="index"/> of a payload that <see cref="Decode(ReadOnlySequence{byte})"/>
    /// decoded (cut to <see cref="MaxRawFragmentLength"/>): for the dead-letter store, when a decoded
    /// reading is refused later.
    /// </summary>
    public static string RawElement(ReadOnlySequence<byte> payload, int index)
    {
        using var document = JsonDocument.Parse(payload, DocumentOptions);
        var root = document.RootElement;
        var element = root.ValueKind == JsonValueKind.Array ? root[index] : root;
        return RawText(element);
    }

    private static SubmittedItem DecodeElement(int index, JsonElement element)
    {
        string? problem;
        ReadingSubmission? submission;
        try
        {
            problem = TryDecodeReading(element, out submission);
        }
        catch (InvalidOperationException)
        {
            // The parser checks structure, not the bytes inside strings: reading one out finds them.
            (problem, submission) = ("a text in the reading is not valid UTF-8", null);
        }

        return new SubmittedItem { Index = index, RawJson = problem is null ? null : RawText(element), Submission = submission, Problem = problem };
    }

    /// <summary>The element's text as received, invalid UTF-8 shown as U+FFFD, cut to the dead-letter limit.</summary>
    private static string RawText(JsonElement element)
    {
        var raw = Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element));
        return raw.Length > MaxRawFragmentLength ? raw[..MaxRawFragmentLength] : raw;
    }

    private static string? TryDecodeReading(JsonElement element, out ReadingSubmission? submission)
    {
        submission = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return $"reading is a JSON {Describe(element.ValueKind)}; expected an object";
        }

        string? vital = null, unit = null;
        DateTimeOffset? time = null;
        double? value = null;
        long? sequence = null;
        Dictionary<string, double>? components = null;

        // Member names are compared as UTF-8, without making a string of each one.
        foreach (var property in element.EnumerateObject())
        {
            var v = property.Value;
            if (property.NameEquals("vital"u8))
            {
                if (v.ValueKind != JsonValueKind.String)
                {
                    return "\"vital\" must be a string naming a catalogue vital sign";
                }

                vital = v.GetString();
            }
            else if (property.NameEquals("unit"u8))
            {
                if (v.ValueKind != JsonValueKind.String)
                {
                    return "\"unit\" must be a string holding a UCUM unit";
                }

                unit = v.GetString();
            }
            else if (property.NameEquals("time"u8))
            {
                if (!TryReadTime(v, out var parsed))
                {
                    return "\"time\" must be an ISO 8601 date-time with a UTC offset, e.g. 2026-11-23T10:00:00Z";
                }

                time = parsed;
            }
            else if (property.NameEquals("value"u8))
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    return "\"value\" must be a finite JSON number";
                }

                value = number;
            }
            else if (property.NameEquals("seq"u8))
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var seq) || seq < 0)
                {
                    return "\"seq\" must be a non-negative integer";
                }

                sequence = seq;
            }
            else if (property.NameEquals("components"u8))
            {
                var problem = TryDecodeComponents(v, out components);
                if (problem is not null)
                {
                    return problem;
                }
            }

            // Unknown members are ignored so that devices may add their own metadata.
        }

        submission = new ReadingSubmission
        {
            Vital = vital,
            Unit = unit,
            Time = time,
            Value = value,
            Components = components,
            Sequence = sequence,
        };
        return null;
    }

    private static string? TryDecodeComponents(JsonElement element, out Dictionary<string, double>? components)
    {
        components = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return "\"components\" must be an object of named numbers, e.g. {\"systolic\":128,\"diastolic\":82}";
        }

        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var component in element.EnumerateObject())
        {
            if (component.Value.ValueKind != JsonValueKind.Number
                || !component.Value.TryGetDouble(out var number) || !double.IsFinite(number))
            {
                return $"component \"{Quote.Shorten(component.Name)}\" must be a finite JSON number";
            }

            if (!result.TryAdd(component.Name, number))
            {
                return $"component \"{Quote.Shorten(component.Name)}\" appears twice";
            }
        }

        components = result;
        return null;
    }

    /// <summary>
    /// Parses an ISO 8601 date-time that states its offset from UTC; a time without an offset is
    /// ambiguous for a device in a patient's home and is refused.
    /// </summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        time = default;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            || parsed.Kind == DateTimeKind.Unspecified)
        {
            return false;
        }

        time = new DateTimeOffset(parsed.ToUniversalTime(), TimeSpan.Zero);
        return true;
    }

    // Devices send ISO 8601 almost always: System.Text.Json reads it from the UTF-8 bytes without a
    // string or the culture-aware parser (a few per cent of ingest's CPU with batched uploads).
    private static bool TryReadTime(JsonElement value, out DateTimeOffset time)
    {
        time = default;
        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        if (value.TryGetDateTime(out var iso))
        {
            if (iso.Kind == DateTimeKind.Unspecified)
            {
                return false;
            }

            time = new DateTimeOffset(iso.ToUniversalTime(), TimeSpan.Zero);
            return true;
        }

        return TryParseTime(value.GetString()!, out time);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };
}
