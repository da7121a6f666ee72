using System.Diagnostics;
using System.Text.Json;

namespace OpenWard.Cli.Tests;

/// <summary>Runs the built <c>openward</c> CLI as a separate process, as a user or script would.</summary>
public static class CliProcess
{
    public sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public JsonElement Json => JsonDocument.Parse(Output).RootElement;
    }

    public static Task<Outcome> RunAsync(params string[] args) => RunAsync(client: null, args);

    /// <summary>Runs <c>openward</c> signed in as the given API client (through OPENWARD_CLIENT_ID/SECRET), or with --data's bootstrap client.</summary>
    public static Task<Outcome> RunAsync((string Id, string Secret)? client, params string[] args) => RunAsync(client, new Dictionary<string, string>(), args);

    /// <summary>Runs <c>openward</c> with these environment variables set, as an operator's shell would.</summary>
    public static Task<Outcome> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(client: null, environment, args);

    private static async Task<Outcome> RunAsync((string Id, string Secret)? client, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openward.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("OPENWARD_CLIENT_ID");
        start.Environment.Remove("OPENWARD_CLIENT_SECRET");
        if (client is { } signedIn)
        {
            start.Environment["OPENWARD_CLIENT_ID"] = signedIn.Id;
            start.Environment["OPENWARD_CLIENT_SECRET"] = signedIn.Secret;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return await RunToEndAsync(start);
    }

    /// <summary>Runs the program <paramref name="start"/> names to its end (two minutes at most) and collects its output.</summary>
    public static async Task<Outcome> RunToEndAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Outcome(process.ExitCode, await output, await error);
    }
}
