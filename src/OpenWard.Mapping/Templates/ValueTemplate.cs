using OpenWard.Mapping.Expressions;

namespace OpenWard.Mapping.Templates;

/// <summary>One entry of a content template's <c>values[]</c>.</summary>
internal sealed record ValueTemplate(string Name, TemplateExpression Expression, bool Required);
