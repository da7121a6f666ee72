using System.Runtime.InteropServices;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;

namespace OpenWard.Fhir;

/// <summary>
/// The JSON that every Observation of one vital sign shares — its <c>meta.profile</c>, <c>category</c>,
/// <c>code</c> and the <c>code</c> of each component — cut from the SDK's serialisation of a sample
/// reading of that sign, so that <see cref="ObservationJson"/> writes exactly what the SDK would.
/// </summary>
internal sealed record VitalFragments(VitalSign Vital, byte[]? Profile, byte[] Category, byte[] Code, IReadOnlyList<byte[]> ComponentCodes)
{
    /// <summary>The fragments of one vital sign.</summary>
    public static VitalFragments Of(VitalSign vital)
    {
        var sample = new Reading
        {
            DeviceId = "sample",
            PatientId = "sample",
            Vital = vital.Key,
            Value = vital.HasComponents ? null : 1,
            Components = vital.HasComponents ? vital.Components.ToDictionary(c => c.Key, _ => 1.0) : null,
            Unit = vital.CanonicalUnit,
            DeviceTime = DateTimeOffset.UnixEpoch,
            ReceivedTime = DateTimeOffset.UnixEpoch,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes<Resource>(ObservationResources.From("sample", sample), FhirJson.Options);
        using var document = JsonDocument.Parse(json);
        var observation = document.RootElement;
        var profile = observation.GetProperty("meta").TryGetProperty("profile", out var profiles) ? Raw(profiles) : null;
        var componentCodes = observation.TryGetProperty("component", out var components)
            ? components.EnumerateArray().Select(c => Raw(c.GetProperty("code"))).ToList()
            : [];
        return new VitalFragments(vital, profile, Raw(observation.GetProperty("category")), Raw(observation.GetProperty("code")), componentCodes);
    }

    private static byte[] Raw(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();
}
