using System.Text.RegularExpressions;
using OpenWard.Tests.Shared;

namespace OpenWard.Server.Tests;

/// <summary>
/// How the server's feature folders import each other, read from the sources: the foundation
/// (the store, the host, the API helpers) imports no feature, and no two features may come to import
/// each other beyond the pairs listed here, which are still to be taken apart (docs/architecture.md,
/// "Import rules"). A new pair fails this test; a pair taken apart must be struck from the list.
/// </summary>
public sealed partial class FeatureImportTests
{
    private static readonly string[] Foundation = ["Api", "Hosting", "Storage"];

    private static readonly HashSet<string> PairsStillToTakeApart = [];

    [Fact]
    public void TheFoundation_ImportsNoFeature()
    {
        var imports = Imports();

        var wrong = Foundation.SelectMany(f => imports[f].Where(to => !Foundation.Contains(to)).Select(to => $"{f} -> {to}")).ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void NoTwoFeatures_ImportEachOther_BeyondTheListedPairs()
    {
        var imports = Imports();

        var pairs = imports.Keys.Order(StringComparer.Ordinal)
            .SelectMany(a => imports[a].Where(b => string.CompareOrdinal(a, b) < 0 && imports[b].Contains(a)).Select(b => $"{a}<->{b}"))
            .ToHashSet();

        Assert.Empty(pairs.Except(PairsStillToTakeApart));
        Assert.Empty(PairsStillToTakeApart.Except(pairs)); // taken apart: strike it from the list
    }

    // Folder -> folders it names, by using directive or qualified name, outside comments.
    private static Dictionary<string, HashSet<string>> Imports()
    {
        var root = Path.Combine(RepositoryFolders.Root, "src", "OpenWard.Server");
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj" or "console")).ToList();
        var imports = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var code = LineComment().Replace(File.ReadAllText(file), "");
                foreach (var other in folders.Where(o => o != folder && Names(code, o)))
                {
                    imports[folder].Add(other);
                }
            }
        }

        return imports;
    }

    private static bool Names(string code, string folder) =>
        Regex.IsMatch(code, $@"using OpenWard\.Server\.{folder}(\.\w+)*;|OpenWard\.Server\.{folder}\.|(?<![\w.]){folder}\.[A-Z]\w*");

    [GeneratedRegex("//.*")]
    private static partial Regex LineComment();
}
