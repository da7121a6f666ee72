using Newtonsoft.Json.Linq;

namespace OpenWard.Mapping.Expressions;

/// <summary>
/// A compiled expression from a mapping template. Evaluation failures (an expression matching
/// several values where one is wanted, a function given the wrong type) surface as
/// <see cref="ExpressionFailure"/> with a reason.
/// </summary>
internal abstract class TemplateExpression(string text)
{
    /// <summary>The expression as written in the template.</summary>
    public string Text { get; } = text;

    /// <summary>Every value the expression selects.</summary>
    public abstract IEnumerable<JToken> SelectAll(JToken data);

    /// <summary>The single value the expression selects, or null when it selects nothing.</summary>
    public abstract JToken? SelectOne(JToken data);

    /// <summary>Compiles an expression, or returns why it cannot be.</summary>
    public static (TemplateExpression? Expression, string? Problem) Compile(string text, ExpressionLanguage language)
    {
        try
        {
            return language == ExpressionLanguage.JmesPath
                ? (new JmesPathQuery(text), null)
                : (new JsonPathQuery(text), null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return (null, $"{language} expression \"{text}\" cannot be parsed: {exception.Message}");
        }
    }
}
