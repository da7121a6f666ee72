using System.Xml.Linq;

namespace OpenWard.Server.Identity;

/// <summary>
/// The data-protection key ring an older OpenWard kept in its data directory
/// (<c>data-protection-keys/*.xml</c>, one element a file, its master key in clear), read once to move
/// it into the store (<see cref="DataProtectionKeyRing"/>).
/// </summary>
public static class DataProtectionKeyFiles
{
    /// <summary>The folder in the data directory.</summary>
    public const string Folder = "data-protection-keys";

    /// <summary>The elements in <paramref name="dataPath"/>'s key files, each with its name, and the files; none when there are none.</summary>
    public static (IReadOnlyList<(string Name, XElement Element)> Elements, IReadOnlyList<string> Paths) Read(string dataPath)
    {
        var folder = Path.Combine(dataPath, Folder);
        if (!Directory.Exists(folder))
        {
            return ([], []);
        }

        var paths = Directory.GetFiles(folder, "*.xml").Order(StringComparer.Ordinal).ToList();
        return ([.. paths.Select(path => (Path.GetFileNameWithoutExtension(path), XElement.Load(path)))], paths);
    }

    /// <summary>Deletes the files, and their folder once empty: the store holds their keys, and a master key is not left on disk in clear.</summary>
    public static void Delete(IEnumerable<string> paths)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            File.Delete(path);
            folders.Add(Path.GetDirectoryName(path)!);
        }

        foreach (var folder in folders.Where(folder => !Directory.EnumerateFileSystemEntries(folder).Any()))
        {
            Directory.Delete(folder);
        }
    }
}
