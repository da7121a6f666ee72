using System.Diagnostics;

namespace OpenWard.Testing;

/// <summary>
/// The output (standard output and error) of a process a test started, written to a file as it comes,
/// so that a failure can say how the process ended. Attach it right after the process starts.
/// </summary>
public sealed class ProcessLog
{
    private readonly string path;

    /// <summary>Writes <paramref name="process"/>'s output to <paramref name="path"/> from now on.</summary>
    public ProcessLog(Process process, string path)
    {
        this.path = path;
        var log = new StreamWriter(path) { AutoFlush = true };
        process.OutputDataReceived += (_, line) => Write(log, line.Data);
        process.ErrorDataReceived += (_, line) => Write(log, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The last lines written, for a failure message.</summary>
    public string LastLines() => Text() is { Length: > 0 } text ? string.Join('\n', text.Split('\n').TakeLast(20)) : "(no log)";

    /// <summary>Everything written so far (empty when the file cannot be read).</summary>
    public string Text()
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
