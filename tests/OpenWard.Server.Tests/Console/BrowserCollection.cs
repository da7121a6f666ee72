namespace OpenWard.Server.Tests.Console;

/// <summary>
/// The browser tests run one at a time, after the others: a browser, a server and the tests beside
/// them would otherwise share two cores with every other test class's server.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "browser";
}
