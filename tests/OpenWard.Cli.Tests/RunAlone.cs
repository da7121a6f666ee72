namespace OpenWard.Cli.Tests;

/// <summary>
/// Tests that take both cores for a while (packing and installing the CLI): they run after the others,
/// alone, so that the servers the other tests start are not starved of the time they have to start.
/// </summary>
[CollectionDefinition(nameof(RunAlone), DisableParallelization = true)]
public sealed class RunAlone;
