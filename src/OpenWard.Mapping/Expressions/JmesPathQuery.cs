using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json.Linq;

namespace OpenWard.Mapping.Expressions;

/// <summary>A JMESPath expression, with the template functions registered.</summary>
internal sealed class JmesPathQuery(string text) : TemplateExpression(text)
{
    // Functions may keep per-call context inside the shared engine, so evaluations take turns.
    private static readonly Lock Gate = new();
    private static readonly JmesPath Engine = TemplateFunctions.Register(new JmesPath());

    private readonly JmesPathExpression expression = Parse(text);

    public override IEnumerable<JToken> SelectAll(JToken data)
    {
        var result = Evaluate(data);
        if (result.IsProjection)
        {
            return result.Projection.Select(p => p.AsJToken()).Where(t => t.Type != JTokenType.Null).ToList();
        }

        var token = result.AsJToken();
        return token.Type == JTokenType.Null ? [] : [token];
    }

    public override JToken? SelectOne(JToken data)
    {
        var result = Evaluate(data);
        if (result.IsProjection && result.Projection.Length > 1)
        {
            throw new ExpressionFailure($"JMESPath \"{Text}\" must select one value but selected {result.Projection.Length}");
        }

        var token = result.AsJToken();
        return token.Type == JTokenType.Null ? null : token;
    }

    private static JmesPathExpression Parse(string text)
    {
        lock (Gate)
        {
            return Engine.Parse(text);
        }
    }

    private JmesPathArgument Evaluate(JToken data)
    {
        try
        {
            lock (Gate)
            {
                return expression.Transform(new JmesPathArgument(data));
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new ExpressionFailure($"JMESPath \"{Text}\" failed: {exception.Message}", exception);
        }
    }
}
