using OpenWard.Tests.Shared;

namespace OpenWard.Mapping.Tests;

/// <summary>
/// The IoMT FHIR Connector's own sample templates and unit-test inputs, kept beside the checkout in
/// <c>../shared/corpus/iomt-fhir/</c> (see its SOURCES.md). Tests that need them skip, saying why,
/// where the folder is absent.
/// </summary>
internal static class IomtCorpus
{
    private static readonly string? Root = RepositoryFolders.Corpus("iomt-fhir");

    /// <summary>The text of a corpus file, e.g. <c>sample-templates/basic__devicecontent.json</c>; skips the test when the corpus is absent.</summary>
    public static string Read(string relativePath)
    {
        Assert.SkipWhen(Root is null, "The IoMT FHIR Connector corpus (../shared/corpus/iomt-fhir beside the checkout) is not present.");
        return File.ReadAllText(Path.Combine(Root!, relativePath));
    }

    /// <summary>A unit-test input of the connector's template library, by its original file name (e.g. <c>IotHubPayloadExample.json</c>).</summary>
    public static string TestInput(string name) => Read("test-input/Fhir.Ingest.Template.UnitTests__data_" + name);
}
