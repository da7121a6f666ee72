using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OpenWard.Testing;

/// <summary>One signed-in browser on the console: its page, what its console reported, screenshots and accessibility checks.</summary>
public sealed class ConsoleTab : IAsyncDisposable
{
    private readonly IBrowserContext context;

    /// <summary>Opens the tab and starts collecting errors.</summary>
    public ConsoleTab(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Errors.Add(error);
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>Errors the browser's console reported, and scripts' uncaught exceptions.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>
    /// Fails the test, listing them, if the browser reported any error — except those containing
    /// <paramref name="expected"/> (Chromium reports every refused request, such as a 422 for bad input the test sent on purpose).
    /// </summary>
    public void AssertNoErrors(string? expected = null)
    {
        var unexpected = Errors.Where(e => expected is null || !e.Contains(expected, StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, "the browser reported: " + string.Join(" | ", unexpected));
    }

    /// <summary>
    /// Saves a screenshot as a test artefact; one <paramref name="forDocs"/> also goes to docs/screenshots
    /// when OPENWARD_SCREENSHOTS=docs (the README's pictures, taken of the demo ward).
    /// </summary>
    public async Task ScreenshotAsync(string name, bool forDocs = false)
    {
        Directory.CreateDirectory(BrowserWard.ScreenshotFolder);
        var bytes = await Page.ScreenshotAsync(new PageScreenshotOptions { FullPage = !forDocs, Path = Path.Combine(BrowserWard.ScreenshotFolder, name + ".png") });
        if (forDocs && Environment.GetEnvironmentVariable("OPENWARD_SCREENSHOTS") == "docs")
        {
            var docs = Path.Combine(OpenWard.Tests.Shared.RepositoryFolders.Root, "docs", "screenshots");
            Directory.CreateDirectory(docs);
            await File.WriteAllBytesAsync(Path.Combine(docs, name + ".png"), bytes);
        }
    }

    /// <summary>Runs axe-core on the page and fails the test, listing them, on any serious or critical violation.</summary>
    public async Task AssertAccessibleAsync()
    {
        AxeResult result = await Page.RunAxe();
        var serious = result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})")
            .ToList();
        Assert.True(serious.Count == 0, "accessibility: " + string.Join(" | ", serious));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
