using OpenWard.Tests.Shared;

namespace OpenWard.Fhir.Tests;

/// <summary>
/// FHIR R4 core vital-signs examples and the HL7 Personal Health Device IG's examples, kept beside
/// the checkout in <c>../shared/corpus/fhir-r4/</c> (see its SOURCES.md). Tests that need them skip,
/// saying why, where the folder is absent.
/// </summary>
internal static class FhirCorpus
{
    private static readonly string? Root = RepositoryFolders.Corpus("fhir-r4");

    /// <summary>The text of a corpus file, e.g. <c>core-examples/observation-example-heart-rate.json</c>.</summary>
    public static string Read(string relativePath)
    {
        Assert.SkipWhen(Root is null, "The FHIR R4 corpus (../shared/corpus/fhir-r4 beside the checkout) is not present.");
        return File.ReadAllText(Path.Combine(Root!, relativePath));
    }
}
