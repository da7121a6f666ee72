namespace OpenWard.Server.Hosting;

/// <summary>Creates files in the data directory readable by the service account only.</summary>
public static class DataDirectory
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory (owner-only) if it does not exist and returns its full path.</summary>
    public static string Ensure(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
        }
        else
        {
            Directory.CreateDirectory(full, OwnerOnlyDirectory);
        }

        return full;
    }

    /// <summary>Writes a file that only the owner can read or write, replacing any previous one.</summary>
    public static void WriteOwnerOnly(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }

    /// <summary>
    /// Makes a database and its journal files (<c>-wal</c>, <c>-shm</c>, <c>-journal</c>) owner-only:
    /// SQLite creates them with the process's default mode, and its log can be created before the
    /// database file is narrowed (later logs take the database file's mode).
    /// </summary>
    public static void RestrictDatabase(string databasePath)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal" })
        {
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerOnlyFile);
            }
        }
    }
}
