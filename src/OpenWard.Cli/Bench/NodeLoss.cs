using System.Diagnostics;
using OpenWard.Cli.Api;

namespace OpenWard.Cli.Bench;

/// <summary>
/// A node of a cluster killed (SIGKILL, as a crash) a set time into the measured run, so that the run
/// times its devices' failover to the other nodes.
/// </summary>
public sealed class NodeLoss(Process node, TimeSpan after)
{
    /// <summary>The loss a run asked for; null when it asked for none. The node must be running and not the first of the load's nodes.</summary>
    public static NodeLoss? From(int? pid, double afterSeconds, IngestLoad load)
    {
        if (pid is not { } id)
        {
            return null;
        }

        if (load.Nodes.Count < 2)
        {
            throw new CliException("--kill-pid needs --nodes with at least two nodes, so that the devices have somewhere to go");
        }

        if (afterSeconds < 0 || TimeSpan.FromSeconds(afterSeconds) >= load.Duration)
        {
            throw new CliException("--kill-after must fall within --duration");
        }

        try
        {
            return new NodeLoss(Process.GetProcessById(id), TimeSpan.FromSeconds(afterSeconds));
        }
        catch (ArgumentException)
        {
            throw new CliException($"--kill-pid: no process {id} is running");
        }
    }

    /// <summary>Waits until the set time, kills the node and calls <paramref name="lost"/>; nothing when the run ends first.</summary>
    public async Task KillAsync(Action lost, CancellationToken runEnded)
    {
        try
        {
            await Task.Delay(after, runEnded);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        node.Kill();
        lost();
    }
}
