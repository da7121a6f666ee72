namespace OpenWard.Fhir.Tests;

/// <summary>
/// FHIR R4 core vital-signs examples and the HL7 Personal Health Device IG's examples, kept beside
/// the checkout in <c>../shared/corpus/fhir-r4/</c> (see its SOURCES.md). Tests that need them skip,
/// saying why, where the folder is absent.
/// </summary>
internal static class FhirCorpus
{
    private static readonly string? Root = Find();

    /// <summary>The text of a corpus file, e.g. <c>core-examples/observation-example-heart-rate.json</c>.</summary>
    public static string Read(string relativePath)
    {
        Assert.SkipWhen(Root is null, "The FHIR R4 corpus (../shared/corpus/fhir-r4 beside the checkout) is not present.");
        return File.ReadAllText(Path.Combine(Root!, relativePath));
    }

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenWard.slnx")))
            {
                var corpus = Path.Combine(directory.FullName, "..", "shared", "corpus", "fhir-r4");
                return Directory.Exists(corpus) ? Path.GetFullPath(corpus) : null;
            }
        }

        return null;
    }
}
