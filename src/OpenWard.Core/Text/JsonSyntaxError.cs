using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenWard.Core.Text;

/// <summary>
/// A JSON syntax error in plain words: where (line and character, counted from 1) and what was
/// expected there — instead of the parser's own message, which names its internals
/// ("BytePositionInLine", "isFinalBlock").
/// </summary>
public static partial class JsonSyntaxError
{
    /// <summary>Describes <paramref name="error"/>, e.g. <c>line 1, character 9: expected ':' after the property name, found '}'</c>.</summary>
    public static string Describe(JsonException error)
    {
        var what = WhatWasExpected(error.Message);
        return error.LineNumber is { } line && error.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, character {position + 1}: {what}")
            : what;
    }

    /// <summary>Whether the JSON was well formed but a value had the wrong type for what it was read into.</summary>
    public static bool IsWrongType(JsonException error) => CannotConvert().IsMatch(error.Message);

    private static string WhatWasExpected(string message)
    {
        // The parser's sentence, without the position (given above in plain words) and the path.
        if (CannotConvert().Match(message) is { Success: true } conversion)
        {
            var property = conversion.Groups[2].Value.TrimStart('$').TrimStart('.');
            var subject = property.Length == 0 ? "the document" : $"\"{property}\"";
            return Describe(conversion.Groups[1].Value) is { } expected ? $"{subject} should be {expected}" : $"{subject} has a value of the wrong type";
        }

        var sentence = Position().Replace(message, "").Trim();
        if (InvalidStartOfValue().Match(sentence) is { Success: true } start)
        {
            return $"expected a value (a number, \"text\", true, false, null, an object or an array), found {start.Groups[1].Value}";
        }

        if (InvalidAfterPropertyName().Match(sentence) is { Success: true } afterName)
        {
            return $"expected ':' after the property name, found {afterName.Groups[1].Value}";
        }

        if (InvalidAfterValue().Match(sentence) is { Success: true } afterValue)
        {
            return $"expected ',' or the closing '}}' or ']' after a value, found {afterValue.Groups[1].Value}";
        }

        if (InvalidStartOfPropertyName().Match(sentence) is { Success: true } name)
        {
            return $"expected a property name in double quotes, found {name.Groups[1].Value}";
        }

        if (sentence.StartsWith("Expected depth to be zero", StringComparison.Ordinal)
            || sentence.Contains("reached end of data", StringComparison.Ordinal)
            || sentence.Contains("end of the JSON payload", StringComparison.Ordinal))
        {
            return "the JSON ends too early: a text, object or array is not closed";
        }

        if (sentence.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return "there is no JSON at all; send a JSON document";
        }

        if (sentence.Contains("has invalid end of a single JSON value", StringComparison.Ordinal)
            || sentence.Contains("additional text", StringComparison.Ordinal))
        {
            return "more follows the end of the JSON document; send one document";
        }

return sentence.TrimEnd('.');
    }

    // The primitive types a value is read into; for anything else the parser names the enclosing type, which says nothing to a user.
    private static string? Describe(string type) => type switch
    {
        "System.String" => "text in double quotes",
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Double" or "System.Decimal" or "System.Nullable`1[System.Double]" => "a number",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.DateTimeOffset" or "System.Nullable`1[System.DateTimeOffset]" => "a time in ISO 8601 with its UTC offset, in double quotes",
        _ => null,
    };

    [GeneratedRegex(@"\s*(LineNumber: \d+ \| BytePositionInLine: \d+\.?|Path: \S+( \|)?)", RegexOptions.CultureInvariant)]
    private static partial Regex Position();

    [GeneratedRegex("^('.*?') is an invalid start of a value", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidStartOfValue();

    [GeneratedRegex("^('.*?') is invalid after a property name", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidAfterPropertyName();

    [GeneratedRegex("^('.*?') is invalid after a value", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidAfterValue();

    [GeneratedRegex("^('.*?') is an invalid start of a property name", RegexOptions.CultureInvariant)]
    private static partial Regex InvalidStartOfPropertyName();

    [GeneratedRegex(@"could not be converted to (\S+?)\.? Path: (\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex CannotConvert();
}
