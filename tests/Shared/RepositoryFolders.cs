namespace OpenWard.Tests.Shared;

/// <summary>Where the checkout is, and the conformance corpus beside it (<c>../shared/corpus/</c>), seen from a test's output folder.</summary>
internal static class RepositoryFolders
{
    /// <summary>The folder holding <c>OpenWard.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A corpus folder (e.g. <c>iomt-fhir</c>), or null where it is absent.</summary>
    public static string? Corpus(string name)
    {
        var folder = Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus", name));
        return Directory.Exists(folder) ? folder : null;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenWard.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the tests run outside an OpenWard checkout");
    }
}
