using Microsoft.Playwright;

namespace OpenWard.Testing;

/// <summary>
/// The real server and Debian's Chromium driven by Playwright, for the console's browser tests.
/// Where Chromium is not installed the tests are skipped with the reason (CI installs it).
/// </summary>
public class BrowserWard : RunningServer
{
    /// <summary>Debian's Chromium; Playwright cannot download its own browsers here.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    /// <summary>The browser, or null where Chromium is absent.</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Where screenshots are kept as test artefacts.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <inheritdoc />
    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        // Generous waits: a machine running the whole suite can be slow; every wait still ends by itself.
        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser (own cookies and storage) on the console's sign-in page; skips the test without Chromium (see MissingComponent).</summary>
    public async Task<ConsoleTab> OpenAsync(ViewportSize? viewport = null)
    {
        if (Browser is null)
        {
            MissingComponent.Stop($"Chromium is not installed at {ChromiumPath} (apt-get install chromium); the browser tests need it.");
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(30_000);
        var tab = new ConsoleTab(context, await context.NewPageAsync());
        await tab.Page.GotoAsync("/console/");
        await tab.Page.GetByLabel("User name").WaitForAsync();
        return tab;
    }

    /// <summary>A fresh browser on the console, signed in as the user; skips the test without Chromium (see MissingComponent).</summary>
    public async Task<ConsoleTab> SignInAsync(string userName, ViewportSize? viewport = null, string password = TestPassword)
    {
        var tab = await OpenAsync(viewport);
        await tab.Page.GetByLabel("User name").FillAsync(userName);
        await tab.Page.GetByLabel("Password").FillAsync(password);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await tab.Page.WaitForURLAsync(url => url.Contains("/console/", StringComparison.Ordinal) && !url.Contains("callback", StringComparison.Ordinal));
        return tab;
    }
}
