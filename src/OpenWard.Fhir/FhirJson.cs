using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace OpenWard.Fhir;

/// <summary>The one System.Text.Json configuration for FHIR R4 resources (building it is costly, so it is shared).</summary>
public static class FhirJson
{
    /// <summary>Serializer options that read and write FHIR R4 JSON.</summary>
    public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);
}
