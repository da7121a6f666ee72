using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using OpenWard.Cli.Commands;
using OpenWard.Tests.Shared;

namespace OpenWard.Cli.Tests;

/// <summary>
/// <c>openward</c> as users get it (README, "Your first five minutes"): the CLI packed as a .NET tool,
/// installed from the local package folder with <c>dotnet tool install</c> — offline, no feed but that
/// folder — and run as the installed command.
/// </summary>
[Collection(nameof(RunAlone))]
public sealed class InstalledToolTests(InstalledToolTests.InstalledTool tool) : IClassFixture<InstalledToolTests.InstalledTool>
{
    [Fact]
    public async Task Version_IsTheBuiltCliVersion()
    {
        var outcome = await tool.RunAsync("--version");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var built = typeof(GlobalOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        Assert.Equal(built, outcome.Output.Trim());
    }

    [Fact]
    public async Task Help_NamesTheCommandOpenwardAndListsItsCommands()
    {
        var outcome = await tool.RunAsync("--help");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains("openward [command] [options]", outcome.Output, StringComparison.Ordinal);
        foreach (var command in new[] { "patients", "devices", "decode", "news2", "simulate", "bench" })
        {
            Assert.Contains($"  {command} ", outcome.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task News2_RunsOnTheAssembliesThePackageCarries()
    {
        var outcome = await tool.RunAsync("news2", "--resp-rate", "22", "--spo2", "93", "--spo2-scale", "1", "--oxygen",
            "--systolic", "105", "--pulse", "115", "--consciousness", "A", "--temperature", "38.5");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal(10, outcome.Json.GetProperty("total").GetInt32());
    }

    /// <summary>The CLI packed (from the build the tests run on) and installed into a folder of its own, once per class.</summary>
    public sealed class InstalledTool : IAsyncLifetime
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), $"openward-tool-{Guid.NewGuid():N}");

        private string Packages => Path.Combine(folder, "packages");

        private string ToolPath => Path.Combine(folder, "tools");

        /// <summary>Runs the installed <c>openward</c> command.</summary>
        public Task<CliProcess.Outcome> RunAsync(params string[] args)
        {
            var start = new ProcessStartInfo(Path.Combine(ToolPath, "openward"));
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            // The command is a native launcher: it finds the runtime the tests run on through DOTNET_ROOT,
            // as `dotnet tool install` tells users to set it where .NET is not in its default place.
            start.Environment["DOTNET_ROOT"] = DotnetRoot();
            return CliProcess.RunToEndAsync(start);
        }

        /// <inheritdoc />
        public async ValueTask InitializeAsync()
        {
            Directory.CreateDirectory(folder);
            // Only the packed folder is a source: the install must not need any other feed.
            var config = Path.Combine(folder, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="openward" value="{Packages}" />
                  </packageSources>
                </configuration>
                """);

            // Packed from the build the tests already run on (--no-build), in its configuration.
            var configuration = typeof(GlobalOptions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            await DotnetAsync("pack", Path.Combine(RepositoryFolders.Root, "src", "OpenWard.Cli"), "--no-build", "-c", configuration, "-o", Packages, "-nologo");
            await DotnetAsync("tool", "install", "--tool-path", ToolPath, "--source", Packages, "--configfile", config, "OpenWard.Cli");
        }

        /// <inheritdoc />
        public ValueTask DisposeAsync()
        {
            Directory.Delete(folder, recursive: true);
            return ValueTask.CompletedTask;
        }

        private async Task DotnetAsync(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryFolders.Root }; // its global.json picks the SDK
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            var outcome = await CliProcess.RunToEndAsync(start);
            Assert.True(outcome.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed ({outcome.ExitCode}):\n{outcome.Output}\n{outcome.Error}");
        }

        // The runtime's own folder is <root>/shared/Microsoft.NETCore.App/<version>/.
        private static string DotnetRoot() => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
    }
}
