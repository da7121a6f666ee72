using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Two OpenWard processes started at once on a fresh database share one data-protection key ring
/// through the store: a person who signs in through the sign-in form of node a is signed in on node b
/// too (node b accepts node a's sign-in cookie and gives the console its code), and a sign-in form
/// served by one node may be posted to the other (its anti-forgery token is accepted there).
/// </summary>
public sealed class SignInAcrossNodesTests
{
    // The console's address on both nodes, as behind a load balancer.
    private static readonly Uri Console = new("https://openward.hospital.test/console/signed-in");

    [Fact]
    public async Task ASignInOnOneNode_IsASignInOnTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string[] settings = [$"--OpenWard:SignIn:ConsoleRedirectUris:0={Console}"];
        var starting = new[] { ClusterNode.StartAsync("a", database, keyEncryptionKey, settings), ClusterNode.StartAsync("b", database, keyEncryptionKey, settings) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var start in starting.Where(start => start.IsCompletedSuccessfully))
            {
                await (await start).DisposeAsync();
            }

            throw;
        }

        await using var a = await starting[0];
        await using var b = await starting[1];
        // Started at once on an empty ring, the nodes made one key between them.
        Assert.Equal("1", await database.ScalarAsync("SELECT COUNT(*) FROM data_protection_keys"));
        var userName = await AddClinicianAsync(a.DataDirectory, b.DataDirectory, a, b);

        // Signed in through node a's form; node b takes the cookie, and the console's code from node b gives a token that works there.
        var cookies = new CookieContainer();
        using (var browserOnA = Browser(a, cookies))
        {
            var form = await SignInFormAsync(browserOnA);
            using var signedIn = await PostSignInAsync(browserOnA, form, userName);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Contains("/connect/authorize", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        using (var browserOnB = Browser(b, cookies))
        {
            var (answer, verifier) = await PersonSignIn.AuthorizeAsync(browserOnB, Console);
            using (answer)
            {
                Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
                Assert.StartsWith(Console.ToString(), answer.Headers.Location!.ToString(), StringComparison.Ordinal);
                var token = (await PersonSignIn.ExchangeAsync(b.BaseAddress, Console, answer.Headers.Location!, verifier)).AccessToken;
                using var me = await ApiAsync(b, token, "/api/v1/me");
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
                Assert.Equal(userName, (await me.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("userName").GetString());
            }
        }

        // A form served by node b, posted to node a: node a accepts node b's anti-forgery token and cookie.
        var otherCookies = new CookieContainer();
        using var formFromB = Browser(b, otherCookies);
        using var postToA = Browser(a, otherCookies);
        using var accepted = await PostSignInAsync(postToA, await SignInFormAsync(formFromB), userName);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    // A clinician made by the administrator (whose credentials the node that set the store up wrote).
    private static async Task<string> AddClinicianAsync(string firstDirectory, string secondDirectory, ClusterNode a, ClusterNode b)
    {
        var (holder, path) = File.Exists(Path.Combine(firstDirectory, "bootstrap-credentials.json"))
            ? (a, Path.Combine(firstDirectory, "bootstrap-credentials.json"))
            : (b, Path.Combine(secondDirectory, "bootstrap-credentials.json"));
        var bootstrap = JsonDocument.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).RootElement;
        using var admin = await holder.SignInAsync(bootstrap.GetProperty("clientId").GetString()!, bootstrap.GetProperty("clientSecret").GetString()!);
        var userName = $"clinician-{Guid.NewGuid():N}"[..20];
        await ClusterWard.PostAsync(admin, "/api/v1/users",
            new { userName, displayName = "Test clinician", role = "clinician", password = RunningServer.TestPassword });
        return userName;
    }

    private static HttpClient Browser(ClusterNode node, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies })
        {
            BaseAddress = node.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    // The sign-in page the authorization endpoint sends a browser without a sign-in to: its hidden fields.
    private static async Task<Dictionary<string, string>> SignInFormAsync(HttpClient browser)
    {
        var (toSignIn, _) = await PersonSignIn.AuthorizeAsync(browser, Console);
        using (toSignIn)
        {
            Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
            using var page = await browser.GetAsync(toSignIn.Headers.Location, TestContext.Current.CancellationToken);
            return PersonSignIn.HiddenFields(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    private static Task<HttpResponseMessage> PostSignInAsync(HttpClient browser, Dictionary<string, string> form, string userName)
    {
        form["userName"] = userName;
        form["password"] = RunningServer.TestPassword;
        form["oneTimeCode"] = "";
        return browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> ApiAsync(ClusterNode node, string token, string path)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

}
