using System.Diagnostics;

namespace OpenWard.Testing;

/// <summary>A server process a test starts (the server built beside the tests, run with <c>dotnet</c>): its start and its end.</summary>
public static class StartedProcess
{
    /// <summary>A new, empty data directory for a server process, under the temp directory.</summary>
    public static string NewDataDirectory(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"openward-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>How to start the server on <paramref name="dataDirectory"/> (also its working directory) with these <c>--Key=value</c> settings, its output read by the test.</summary>
    public static ProcessStartInfo Server(string dataDirectory, IEnumerable<string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OpenWard.Server.dll"));
        start.ArgumentList.Add($"--OpenWard:DataDirectory={dataDirectory}");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        return start;
    }

    /// <summary>Ends <paramref name="process"/> if it still runs (and whatever it started), and removes its data directory.</summary>
    public static async ValueTask EndAsync(Process process, string dataDirectory)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // The log may still be open; the temp directory is cleaned by the OS.
        }
    }
}
