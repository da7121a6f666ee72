using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OpenWard.Mapping.Expressions;

/// <summary>A JSONPath expression evaluated by Json.NET, whose filter semantics the published templates rely on.</summary>
internal sealed class JsonPathQuery : TemplateExpression
{
    public JsonPathQuery(string text)
        : base(text)
    {
        // Json.NET parses the path when it is first used: use it once so that errors surface at load.
        _ = new JObject().SelectTokens(text).ToList();
    }

    public override IEnumerable<JToken> SelectAll(JToken data)
    {
        try
        {
            return data.SelectTokens(Text).ToList();
        }
        catch (JsonException exception)
        {
            throw new ExpressionFailure($"JSONPath \"{Text}\" failed: {exception.Message}", exception);
        }
    }

    public override JToken? SelectOne(JToken data)
    {
        try
        {
            return data.SelectToken(Text);
        }
        catch (JsonException exception)
        {
            throw new ExpressionFailure($"JSONPath \"{Text}\" must select one value: {exception.Message}", exception);
        }
    }
}
