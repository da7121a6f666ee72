namespace OpenWard.Mapping.Expressions;

/// <summary>The expression languages a mapping template may use.</summary>
public enum ExpressionLanguage
{
    /// <summary>JSONPath, with Json.NET's semantics (filters such as <c>$..[?(@heartRate)]</c>).</summary>
    JsonPath,

    /// <summary>JMESPath, with the template functions (<c>multiply</c>, <c>fromUnixTimestampMs</c>, …).</summary>
    JmesPath,
}
