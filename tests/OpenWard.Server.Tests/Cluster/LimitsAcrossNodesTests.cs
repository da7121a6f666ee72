using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// An attacker gets one allowance per cluster, not one per node: a device id backed off from an address
/// on node a is backed off on node b, failed sign-ins on both nodes add up to the back-off and to the
/// guessing warning, attempts at the sign-in form spread over both nodes are refused at the configured
/// count, and an account locked through node a is refused on node b.
/// </summary>
public sealed class LimitsAcrossNodesTests(LimitedCluster cluster) : IClassFixture<LimitedCluster>
{
    private const string WrongSecret = "not-the-secret";

    [Fact]
    public async Task FailuresOnOneNode_BackThePairOff_OnTheOther()
    {
        const string from = "127.0.0.11";
        var device = await cluster.Ward.AdmitWithOximeterAsync("back-off");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectAsync(cluster.A, device.Id, WrongSecret, from));
        }

        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, await ConnectAsync(cluster.A, device.Id, WrongSecret, from));

        // Node b hears of it within moments; until then the right secret is still checked there (and not held against the pair).
        await Eventually.TrueAsync(
            async () => await ConnectAsync(cluster.B, device.Id, device.Secret, from) == MqttClientConnectResultCode.ConnectionRateExceeded,
            "node b backing off the device id from this address, even with the right secret");
    }

    [Fact]
    public async Task FailuresOnBothNodes_AddUpToTheBackOff()
    {
        const string from = "127.0.0.12";
        var device = await cluster.Ward.AdmitWithOximeterAsync("add-up");

        var answers = new[]
        {
            await ConnectAsync(cluster.A, device.Id, WrongSecret, from),
            await ConnectAsync(cluster.A, device.Id, WrongSecret, from),
            await ConnectAsync(cluster.B, device.Id, WrongSecret, from),
            await ConnectAsync(cluster.B, device.Id, WrongSecret, from),
        };

        // Each node alone has counted fewer than three; node b's answer to its first came from the store's count of all three.
        Assert.Equal(Enumerable.Repeat(MqttClientConnectResultCode.BadUserNameOrPassword, 3), answers[..3]);
        Assert.Equal(MqttClientConnectResultCode.ConnectionRateExceeded, answers[3]);
    }

    [Fact]
    public async Task FailuresOnBothNodes_AddUpToTheGuessingWarning_GivenOnce()
    {
        const string from = "127.0.0.13";
        var deviceId = "guessed-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectAsync(cluster.A, deviceId, WrongSecret, from));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectAsync(cluster.B, deviceId, WrongSecret, from));
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await ConnectAsync(cluster.A, deviceId, WrongSecret, from));

        await Eventually.TrueAsync(() => Task.FromResult(Warnings(deviceId) == 1), "one guessing warning for the device id, from either node");
        Assert.Equal(1, Warnings(deviceId));
    }

    [Fact]
    public async Task UploadsFromOneAddress_OnBothNodes_ShareOneAllowance_OnceTheNodesHaveMerged()
    {
        using var onA = LimitedCluster.From("127.0.0.5", cluster.A);
        using var onB = LimitedCluster.From("127.0.0.5", cluster.B);

        // The address's whole allowance for the minute, taken through node a (each upload refused for its credentials, but taken).
        for (var upload = 0; upload < 30; upload++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await UploadAsync(onA));
        }

        // Node a adds what it took to the store within about a second; node b, which has not heard of it, takes one more and merges it.
        await Eventually.TrueAsync(async () => await TakenAsync("127.0.0.5") == 30, "node a adding its takes to the store");
        Assert.Equal(HttpStatusCode.Unauthorized, await UploadAsync(onB));
        await Eventually.TrueAsync(async () => await TakenAsync("127.0.0.5") == 31, "node b adding its take to the store");

        // From then on node b counts node a's takes against the address: on its own it would admit 29 more.
        var admitted = 0;
        while (await UploadAsync(onB) != HttpStatusCode.TooManyRequests)
        {
            Assert.True(++admitted < 3, "node b admitted the address beyond the allowance node a had used up");
        }
    }

    [Fact]
    public async Task SignInFormAttempts_SpreadOverBothNodes_AreRefusedAtTheConfiguredCount()
    {
        using var onA = LimitedCluster.From("127.0.0.2", cluster.A);
        using var onB = LimitedCluster.From("127.0.0.2", cluster.B);
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 6; attempt++)
        {
            using var answer = await PostFormAsync(attempt % 2 == 0 ? onA : onB);
            statuses.Add(answer.StatusCode);
        }

        using var seventh = await PostFormAsync(onB);
        using var fromElsewhere = LimitedCluster.From("127.0.0.4", cluster.A);
        using var elsewhere = await PostFormAsync(fromElsewhere);

        // Within the allowance the form is judged (here: refused, having no anti-forgery token); the seventh is not.
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, seventh.StatusCode);
        Assert.InRange(seventh.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
    }

    [Fact]
    public async Task AnAccountLockedThroughOneNode_IsRefusedOnTheOther_UntilUnlocked()
    {
        var ct = TestContext.Current.CancellationToken;
        var userName = "nurse-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await cluster.Ward.Administrator.PostAsJsonAsync("/api/v1/users",
            new { userName, displayName = "Test nurse", role = "nurse", password = RunningServer.TestPassword }, ct);
        created.EnsureSuccessStatusCode();
        var userId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        var before = await SignInAsync(cluster.B, userName, RunningServer.TestPassword);
        var wrong = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            wrong.Add(await SignInAsync(cluster.A, userName, "not the password at all"));
        }

        var locked = await SignInAsync(cluster.B, userName, RunningServer.TestPassword);
        using var adminOnB = await cluster.Ward.AdministratorOnAsync(cluster.B);
        using (var unlocked = await adminOnB.PostAsync($"/api/v1/users/{userId}/unlock", null, ct))
        {
            unlocked.EnsureSuccessStatusCode();
        }

        var after = await SignInAsync(cluster.B, userName, RunningServer.TestPassword);

        Assert.Equal(HttpStatusCode.Redirect, before);
        Assert.All(wrong, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.Unauthorized, locked);
        Assert.Equal(HttpStatusCode.Redirect, after);
    }

    private int Warnings(string deviceId) =>
        new[] { cluster.A, cluster.B }.Sum(node => node.LogText().Split('\n')
            .Count(line => line.Contains("Sustained sign-in guessing", StringComparison.Ordinal) && line.Contains(deviceId, StringComparison.Ordinal)));

    private static async Task<MqttClientConnectResultCode> ConnectAsync(ClusterNode node, string deviceId, string secret, string from)
    {
        var (client, result) = await node.TryConnectDeviceAsync(deviceId, secret, from);
        client.Dispose();
        return result;
    }

    // An upload as a device no node knows (each a new id, so no pair backs off): refused for its credentials, or for its address's rate.
    private static async Task<HttpStatusCode> UploadAsync(HttpClient http)
    {
        var deviceId = "unknown-" + Guid.NewGuid().ToString("N");
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/devices/{deviceId}/readings")
        {
            Content = new StringContent("[]", System.Text.Encoding.UTF8, "application/json"),
        };
        upload.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(deviceId + ":guess")));
        using var answer = await http.SendAsync(upload, TestContext.Current.CancellationToken);
        return answer.StatusCode;
    }

    private async Task<long> TakenAsync(string address)
    {
        await using var source = cluster.Database.DataSource();
        await using var query = source.CreateCommand("SELECT COALESCE(MAX(taken), 0) FROM address_requests WHERE address = $1");
        query.Parameters.AddWithValue(address);
        return (long)(await query.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient browser) =>
        browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "someone",
            ["password"] = "a guess",
        }), TestContext.Current.CancellationToken);

    // The sign-in page as a browser at 127.0.0.3 uses it: the form from this node (its anti-forgery token), then the post.
    private static async Task<HttpStatusCode> SignInAsync(ClusterNode node, string userName, string password)
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = LimitedCluster.From("127.0.0.3", node);
        using var page = await browser.GetAsync("/account/sign-in", ct);
        var fields = PersonSignIn.HiddenFields(await page.Content.ReadAsStringAsync(ct));
        fields["userName"] = userName;
        fields["password"] = password;
        fields["oneTimeCode"] = "";
        using var posted = await browser.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields), ct);
        return posted.StatusCode;
    }
}
