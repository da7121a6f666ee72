namespace OpenWard.Mapping.Templates;

/// <summary>
/// The result of loading a mapping template: the template when it has no errors, every error
/// found (not just the first), and warnings about parts that load but will not be used.
/// </summary>
public sealed record TemplateLoad<T>
    where T : class
{
    /// <summary>The loaded template; null when <see cref="Errors"/> is not empty.</summary>
    public T? Template { get; init; }

    /// <summary>Everything that keeps the template from being used, with its location.</summary>
    public IReadOnlyList<TemplateProblem> Errors { get; init; } = [];

    /// <summary>Parts of the template that load but that OpenWard will not use, with why.</summary>
    public IReadOnlyList<TemplateProblem> Warnings { get; init; } = [];
}
