using System.Diagnostics;

namespace OpenWard.Cli.Bench;

/// <summary>
/// CPU time and peak resident memory of the server process on this machine, read from /proc
/// (the server is found by --server-pid or by its process name).
/// </summary>
public sealed class ServerProcessProbe
{
    private readonly Process? process;
    private TimeSpan cpuAtStart;

    private ServerProcessProbe(Process? process) => this.process = process;

    /// <summary>Finds the server process; the probe reports nothing when it is not on this machine.</summary>
    public static ServerProcessProbe Find(int? pid, string processName)
    {
        try
        {
            return new ServerProcessProbe(pid is { } id ? Process.GetProcessById(id) : Process.GetProcessesByName(processName).FirstOrDefault());
        }
        catch (ArgumentException)
        {
            return new ServerProcessProbe(null);
        }
    }

    /// <summary>Whether a server process was found.</summary>
    public bool Found => process is not null;

    /// <summary>Marks the start of the measured interval.</summary>
    public void Start()
    {
        process?.Refresh();
        cpuAtStart = process?.TotalProcessorTime ?? TimeSpan.Zero;
    }

    /// <summary>Average CPU use over the interval, in cores (1.0 = one core busy).</summary>
    public double? CoresUsed(TimeSpan elapsed)
    {
        if (process is null)
        {
            return null;
        }

        process.Refresh();
        return (process.TotalProcessorTime - cpuAtStart).TotalSeconds / elapsed.TotalSeconds;
    }

    /// <summary>Peak resident memory in MiB (VmHWM), when readable.</summary>
    public double? PeakMemoryMiB()
    {
        if (process is null || !File.Exists($"/proc/{process.Id}/status"))
        {
            return null;
        }

        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kib = double.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                return kib / 1024;
            }
        }

        return null;
    }
}
