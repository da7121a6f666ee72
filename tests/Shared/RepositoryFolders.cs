namespace OpenWard.Tests.Shared;

/// <summary>Where the checkout is, and its conformance test data (<c>tests/TestData/</c>), seen from a test's output folder.</summary>
internal static class RepositoryFolders
{
    /// <summary>The folder holding <c>OpenWard.slnx</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A test data folder (e.g. <c>iomt-fhir</c>); see <c>tests/TestData/README.md</c>.</summary>
    public static string TestData(string name) => Path.Combine(Root, "tests", "TestData", name);

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
