using CsCheck;
using OpenWard.Tests.Shared;

namespace OpenWard.Fhir.Tests;

/// <summary>The FHIR reader, fed random and mutated input, returns readings or reasons — never an exception.</summary>
public sealed class FhirReaderPropertyTests
{
    private const string BloodPressure = """
        {"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Observation","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"device":{"reference":"Device/cuff-1"},
         "effectiveDateTime":"2026-11-20T08:30:00Z","component":[
          {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":118,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
          {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"dataAbsentReason":{"coding":[{"code":"not-performed"}]}}]}},
         {"fullUrl":"urn:uuid:1","resource":{"resourceType":"Device","identifier":[{"value":"00-1C-05"}]}},
         {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"urn:iso:std:iso:11073:10101","code":"150456"}]},
          "device":{"reference":"urn:uuid:1"},"effectiveInstant":"2026-11-20T08:30:00+01:00","valueQuantity":{"value":97,"system":"http://unitsofmeasure.org","code":"%"}}}]}
        """;

    private static readonly Gen<string> Mutated =
        from edits in Gen.Select(Gen.Int[0, BloodPressure.Length], Gen.Char["{}[]\":,.0123456789-eTZ+ abcdefghijklmnopqrstuvwxyz"]).Array[1, 8]
        select TextMutation.Apply(BloodPressure, edits);

    [Fact]
    public void MutatedOrRandomBody_GivesReadingsOrReasons()
    {
        Gen.OneOf(Mutated, Gen.String).Sample(text =>
        {
            var request = FhirObservationReader.Read(text);
            // Each entry is exactly one of: a reading, a refusal with its reason, or a note on why it was not stored.
            return request.Problem is not null
                || request.Observations.All(o => (o.Submission is null ? 0 : 1) + (o.Problem is null ? 0 : 1) + (o.Note is null ? 0 : 1) == 1);
        }, iter: 1500);
    }
}
