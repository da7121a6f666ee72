using System.Net;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>On its own server: the test uses up its address's token allowance for a minute.</summary>
public sealed class SignInRateLimitTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task GuessingClientSecrets_FromOneAddress_IsSlowedToTheConfiguredRate()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (var attempt = 0; attempt < 130; attempt++)
        {
            using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = "client-guess",
                ["client_secret"] = "guess-" + attempt,
            }), TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = response.Headers.RetryAfter?.Delta;
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.NotNull(retryAfter); // when to come back: the end of the minute's window
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }
}
