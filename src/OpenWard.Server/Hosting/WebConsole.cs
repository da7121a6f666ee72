using Microsoft.Extensions.FileProviders;

namespace OpenWard.Server.Hosting;

/// <summary>
/// The clinician console and patient portal: static pages under <c>/console/</c> (shipped beside the
/// binary in <c>console/</c>) that sign people in through OpenWard's own authorization server
/// (code flow with PKCE, client <c>openward-console</c>) and then use the same APIs and hub as every
/// other client — so a page can show nothing its user could not read through the API. Identity registers
/// its callback on each of the server's listeners with the console's client (<c>ConsoleClient.CallbackUris</c>).
/// </summary>
public static class WebConsole
{
    /// <summary>Where the console is served.</summary>
    public const string BasePath = "/console";

    /// <summary>The page the authorization server returns people to with their code.</summary>
    public const string CallbackPath = BasePath + "/callback.html";

    /// <summary>Serves the console's files and sends visitors of <c>/</c> to it.</summary>
    public static WebApplication UseWebConsole(this WebApplication app)
    {
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "console"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = BasePath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = BasePath,
            // Pages and scripts change with each release; the browser asks again rather than run a stale console.
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapGet("/", () => Results.Redirect(BasePath + "/")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
