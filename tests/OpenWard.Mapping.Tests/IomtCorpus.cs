using OpenWard.Tests.Shared;

namespace OpenWard.Mapping.Tests;

/// <summary>
/// The IoMT FHIR Connector's own sample templates and unit-test inputs, kept in
/// <c>tests/TestData/iomt-fhir/</c> (see its SOURCES.md).
/// </summary>
internal static class IomtCorpus
{
    private static readonly string Root = RepositoryFolders.TestData("iomt-fhir");

    /// <summary>The text of a file, e.g. <c>sample-templates/basic__devicecontent.json</c>.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>A unit-test input of the connector's template library, by its original file name (e.g. <c>IotHubPayloadExample.json</c>).</summary>
    public static string TestInput(string name) => Read("test-input/Fhir.Ingest.Template.UnitTests__data_" + name);
}
