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
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = "/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = ConsoleClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri(server).ToString(),
            ["scope"] = "openid profile roles offline_access",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["state"] = "console-state",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));

        using var toSignIn = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        using var page = await browser.GetAsync(toSignIn.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        var fields = new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["oneTimeCode"] = oneTimeCode ?? "",
        };
        foreach (Match hidden in HiddenField().Matches(html))
        {
            fields[hidden.Groups["name"].Value] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

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

    /// <summary>Exchanges the code on the redirect URI for tokens.</summary>
    public static async Task<Tokens> ExchangeAsync(RunningServer server, Uri redirectedTo, string verifier)
    {
        Assert.StartsWith(RedirectUri(server).ToString(), redirectedTo.ToString());
        var query = System.Web.HttpUtility.ParseQueryString(redirectedTo.Query);
        Assert.Equal("console-state", query["state"]);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = ConsoleClientId,
            ["code"] = query["code"]!,
            ["redirect_uri"] = RedirectUri(server).ToString(),
            ["code_verifier"] = verifier,
        }));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return new Tokens(body.GetProperty("access_token").GetString()!,
            body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenField();
}
