using OpenWard.Mapping.Templates;

namespace OpenWard.Server.DeviceModels;

/// <summary>What became of a new mapping for a device model: stored, or refused with every error in each template.</summary>
public sealed record MappingUpdate
{
    /// <summary>The stored mapping; null when it was refused.</summary>
    public ModelMapping? Stored { get; init; }

    /// <summary>The device mapping's errors, each with its line.</summary>
    public IReadOnlyList<TemplateProblem> DeviceMappingErrors { get; init; } = [];

    /// <summary>The FHIR mapping's errors, each with its line.</summary>
    public IReadOnlyList<TemplateProblem> FhirMappingErrors { get; init; } = [];

    /// <summary>Parts of either template that load but will not be used.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
