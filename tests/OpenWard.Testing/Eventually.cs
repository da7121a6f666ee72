namespace OpenWard.Testing;

/// <summary>
/// Waiting for something the server does in its own time (a commit reaching monitoring, an alert
/// raised on the timer, a file written at start-up): ask again every <see cref="Interval"/> until
/// the answer is the one expected, and fail the test, saying what it waited for, after the limit
/// (30 s unless told). Only for what has no event to await; it asserts nothing about speed.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait may last unless a test says otherwise.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>How often the question is asked again.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>The first answer of <paramref name="probe"/> that satisfies <paramref name="expected"/>.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> expected, string waitingFor, TimeSpan? limit = null)
    {
        var deadline = DateTimeOffset.UtcNow + (limit ?? Limit);
        while (true)
        {
            var answer = await probe();
            if (expected(answer))
            {
                return answer;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                Assert.Fail($"timed out after {(limit ?? Limit).TotalSeconds:0} s waiting for {waitingFor}");
            }

            await Task.Delay(Interval, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The first answer of <paramref name="probe"/> that is not null.</summary>
    public static async Task<T> FoundAsync<T>(Func<Task<T?>> probe, string waitingFor, TimeSpan? limit = null)
        where T : class =>
        (await MatchAsync(probe, answer => answer is not null, waitingFor, limit))!;

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, string waitingFor, TimeSpan? limit = null) =>
        MatchAsync(condition, holds => holds, waitingFor, limit);
}
