using System.Diagnostics;
using OpenWard.Cli.Api;

namespace OpenWard.Cli.Bench;

/// <summary>
/// A loss caused a set time into the measured run, so that the run times its devices' failover: a node
/// of a cluster killed (SIGKILL, as a crash), or a command that takes away something the server
/// depends on (its database's primary, stopped as a crash).
/// </summary>
public sealed class NodeLoss(Func<Task> lose, TimeSpan after)
{
    /// <summary>
    /// The loss a run asked for; null when it asked for none. A node to kill must be running and not the
    /// first of the load's nodes; a command is run by <c>/bin/sh -c</c>.
    /// </summary>
    public static NodeLoss? From(int? pid, string? command, double afterSeconds, IngestLoad load)
    {
        if (pid is null && string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        if (pid is not null && command is not null)
        {
            throw new CliException("--kill-pid and --lose-with cannot be used together");
        }

        if (afterSeconds < 0 || TimeSpan.FromSeconds(afterSeconds) >= load.Duration)
        {
            throw new CliException("--kill-after must fall within --duration");
        }

        var after = TimeSpan.FromSeconds(afterSeconds);
        if (command is not null)
        {
            return new NodeLoss(() => RunAsync(command), after);
        }

        if (load.Nodes.Count < 2)
        {
            throw new CliException("--kill-pid needs --nodes with at least two nodes, so that the devices have somewhere to go");
        }

        try
        {
            var node = Process.GetProcessById(pid!.Value);
            return new NodeLoss(() =>
            {
                node.Kill();
                return Task.CompletedTask;
            }, after);
        }
        catch (ArgumentException)
        {
            throw new CliException($"--kill-pid: no process {pid} is running");
        }
    }

    /// <summary>
    /// Waits until the set time, marks the loss through <paramref name="lost"/> and causes it; nothing when
    /// the run ends first. A command that fails is reported on the error stream; the run goes on.
    /// </summary>
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

        lost();
        await lose();
    }

    private static async Task RunAsync(string command)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, RedirectStandardOutput = true })
            ?? throw new CliException("--lose-with: /bin/sh could not be started");
        // Its output would garble the report on standard output: it goes to the error stream.
        await Console.Error.WriteAsync(await shell.StandardOutput.ReadToEndAsync());
        await shell.WaitForExitAsync();
        if (shell.ExitCode != 0)
        {
            await Console.Error.WriteLineAsync($"openward: --lose-with exited {shell.ExitCode}");
        }
    }
}
