using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Cluster;

/// <summary>
/// Two OpenWard processes on one PostgreSQL database, started at once for the first time: one of them
/// makes the administrator's client, and the token keys are the store's, so a token issued by one node
/// is accepted by the other — also one signed right after a rotation, with the key the other node
/// already trusted. Clients reach both nodes by one address, as through a load balancer: a token names
/// the address it was requested at as its issuer.
/// </summary>
public sealed class SharedTokenKeysTests
{
    [Fact]
    public async Task NodesStartedAtOnce_MakeOneAdministrator_AndEachAcceptsTheOthersTokens_AlsoRightAfterARotation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // Both first starts at once; if one fails, the one that started is stopped.
        var starting = new[] { ClusterNode.StartAsync("a", database, keyEncryptionKey), ClusterNode.StartAsync("b", database, keyEncryptionKey) };
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
        var holders = new[] { a, b }.Where(node => File.Exists(Path.Combine(node.DataDirectory, "bootstrap-credentials.json"))).ToList();
        var issuer = Assert.Single(holders);
        var other = issuer == a ? b : a;
        var address = issuer.BaseAddress.Authority;
        var bootstrap = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(issuer.DataDirectory, "bootstrap-credentials.json"), ct)).RootElement;
        var credentials = (bootstrap.GetProperty("clientId").GetString()!, bootstrap.GetProperty("clientSecret").GetString()!);

        var before = await TokenAsync(issuer, address, credentials);
        Assert.Equal(HttpStatusCode.OK, await CareTeamsStatusAsync(other, address, before));
        Assert.Equal(HttpStatusCode.OK, await CareTeamsStatusAsync(issuer, address, await TokenAsync(other, address, credentials)));

        using (var rotate = new HttpRequestMessage(HttpMethod.Post, new Uri(issuer.BaseAddress, "/api/v1/token-keys/rotate")))
        {
            rotate.Headers.Host = address;
            rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", before);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var rotated = await http.SendAsync(rotate, ct);
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await CareTeamsStatusAsync(other, address, await TokenAsync(issuer, address, credentials)));
        Assert.Equal(HttpStatusCode.OK, await CareTeamsStatusAsync(other, address, before));
    }

    [Fact]
    public async Task WithTheIssuerSet_ATokenFromOneNodeIsAcceptedAtTheOtherNodesOwnAddress()
    {
        await using var database = await PostgreSqlDatabase.CreateAsync();
        var keyEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        const string Issuer = "--OpenWard:SignIn:Issuer=https://openward.hospital.test/";
        await using var a = await ClusterNode.StartAsync("a", database, keyEncryptionKey, Issuer);
        await using var b = await ClusterNode.StartAsync("b", database, keyEncryptionKey, Issuer);
        var bootstrap = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(a.DataDirectory, "bootstrap-credentials.json"), TestContext.Current.CancellationToken)).RootElement;
        var credentials = (bootstrap.GetProperty("clientId").GetString()!, bootstrap.GetProperty("clientSecret").GetString()!);

        // Each node reached at its own address, as clients inside the hospital network may.
        var fromA = await TokenAsync(a, a.BaseAddress.Authority, credentials);
        Assert.Equal(HttpStatusCode.OK, await CareTeamsStatusAsync(b, b.BaseAddress.Authority, fromA));
        Assert.Equal(HttpStatusCode.OK, await CareTeamsStatusAsync(a, a.BaseAddress.Authority, await TokenAsync(b, b.BaseAddress.Authority, credentials)));
    }

    // A client-credentials token from the node, requested at the cluster's one address.
    private static async Task<string> TokenAsync(ClusterNode node, string address, (string Id, string Secret) client)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, "/connect/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = client.Id,
                ["client_secret"] = client.Secret,
            }),
        };
        request.Headers.Host = address;
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"node {node.Name} issued no token: {(int)response.StatusCode} {node.LastLines()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpStatusCode> CareTeamsStatusAsync(ClusterNode node, string address, string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, "/api/v1/care-teams"));
        request.Headers.Host = address;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
