using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenWard.Testing;

/// <summary>
/// A person signing in the way the web console does: the authorization code flow with PKCE
/// through OpenWard's own sign-in page (anti-forgery token and all), then the token exchange.
/// </summary>
public static partial class PersonSignIn
{
    public const string ConsoleClientId = "openward-console";

    public static Uri RedirectUri(RunningServer server) => new(server.BaseAddress, "/console/signed-in");

    /// <summary>The tokens a successful sign-in yields.</summary>
    public sealed record Tokens(string AccessToken, string? RefreshToken);

    /// <summary>Signs in and returns the tokens; fails the test if any step is refused.</summary>
    public static async Task<Tokens> SignInAsync(RunningServer server, string userName, string password, string? oneTimeCode = null)
    {
        var (response, verifier) = await SubmitPasswordAsync(server, userName, password, oneTimeCode);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await ExchangeAsync(server, response.Headers.Location!, verifier);
    }

    /// <summary>
    /// Starts the flow and posts the sign-in form; then follows the redirect back to the
    /// authorization endpoint when the sign-in was accepted. Returns the last answer.
    /// </summary>
    public static async Task<(HttpResponseMessage Response, string Verifier)> SubmitPasswordAsync(
        RunningServer server, string userName, string password, string? oneTimeCode = null)
    {
        using var browser = Browser(server, new CookieContainer());
        return await SubmitPasswordAsync(server, browser, userName, password, oneTimeCode);
    }

    /// <summary>As <see cref="SubmitPasswordAsync(RunningServer, string, string, string?)"/>, in a browser that keeps its cookies.</summary>
    public static async Task<(HttpResponseMessage Response, string Verifier)> SubmitPasswordAsync(
        RunningServer server, HttpClient browser, string userName, string password, string? oneTimeCode = null)
    {
        var (toSignIn, verifier) = await AuthorizeAsync(server, browser);
        using (toSignIn)
        {
            Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
            using var page = await browser.GetAsync(toSignIn.Headers.Location);
            var fields = HiddenFields(await page.Content.ReadAsStringAsync());
            fields["userName"] = userName;
            fields["password"] = password;
            fields["oneTimeCode"] = oneTimeCode ?? "";
            var posted = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));
            if (posted.StatusCode != HttpStatusCode.Redirect)
            {
                return (posted, verifier);
            }

            using (posted)
            {
                return (await browser.GetAsync(posted.Headers.Location), verifier);
            }
        }
    }

    /// <summary>A browser: no automatic redirects, cookies kept in <paramref name="cookies"/>.</summary>
    public static HttpClient Browser(RunningServer server, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>
    /// Asks the authorization endpoint for a code, as the console does: a browser with a sign-in
    /// session is sent back to the console with a code, one without to the sign-in page.
    /// </summary>
    public static Task<(HttpResponseMessage Response, string Verifier)> AuthorizeAsync(RunningServer server, HttpClient browser) =>
        AuthorizeAsync(browser, RedirectUri(server));

    /// <summary>As <see cref="AuthorizeAsync(RunningServer, HttpClient)"/>, for the console at <paramref name="redirectUri"/> (a node of a cluster).</summary>
    public static async Task<(HttpResponseMessage Response, string Verifier)> AuthorizeAsync(HttpClient browser, Uri redirectUri)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ConsoleClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri.ToString(),
            ["scope"] = "openid profile roles offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "console-state",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
        return (await browser.GetAsync(authorize), verifier);
    }

    /// <summary>The hidden fields of a page's form (the anti-forgery token, the return URL).</summary>
    public static Dictionary<string, string> HiddenFields(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match hidden in HiddenField().Matches(html))
        {
            fields[hidden.Groups["name"].Value] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

        return fields;
    }

    /// <summary>Exchanges the code on the redirect URI for tokens.</summary>
    public static Task<Tokens> ExchangeAsync(RunningServer server, Uri redirectedTo, string verifier) =>
        ExchangeAsync(server.BaseAddress, RedirectUri(server), redirectedTo, verifier);

    /// <summary>As <see cref="ExchangeAsync(RunningServer, Uri, string)"/>, at the server at <paramref name="baseAddress"/> for the console at <paramref name="redirectUri"/>.</summary>
    public static async Task<Tokens> ExchangeAsync(Uri baseAddress, Uri redirectUri, Uri redirectedTo, string verifier)
    {
        Assert.StartsWith(redirectUri.ToString(), redirectedTo.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(redirectedTo.Query);
        Assert.Equal("console-state", query["state"]);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ConsoleClientId,
            ["code"] = query["code"]!,
            ["redirect_uri"] = redirectUri.ToString(),
            ["code_verifier"] = verifier,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return new Tokens(body.GetProperty("access_token").GetString()!,
            body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null);
    }

    /// <summary>Asks for new tokens with a refresh token, as the console does.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(RunningServer server, string refreshToken)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = ConsoleClientId,
            ["refresh_token"] = refreshToken,
        }));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenField();
}
