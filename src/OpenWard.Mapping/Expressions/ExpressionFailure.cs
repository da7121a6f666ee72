namespace OpenWard.Mapping.Expressions;

/// <summary>An expression that could not be evaluated on a message, with the reason.</summary>
internal sealed class ExpressionFailure(string message, Exception? inner = null) : Exception(message, inner);
