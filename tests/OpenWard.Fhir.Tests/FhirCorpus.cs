using OpenWard.Tests.Shared;

namespace OpenWard.Fhir.Tests;

/// <summary>
/// FHIR R4 core vital-signs examples and the HL7 Personal Health Device IG's examples, kept in
/// <c>tests/TestData/fhir-r4/</c> (see its SOURCES.md).
/// </summary>
internal static class FhirCorpus
{
    private static readonly string Root = RepositoryFolders.TestData("fhir-r4");

    /// <summary>The text of an example, e.g. <c>core-examples/observation-example-heart-rate.json</c>.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
