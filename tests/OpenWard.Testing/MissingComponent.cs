namespace OpenWard.Testing;

/// <summary>
/// A test that needs a component installed beside .NET (Chromium, Mosquitto) and does not find it:
/// on a developer's machine it is skipped, saying what to install; where
/// <c>OPENWARD_TESTS_REQUIRE_ALL=1</c> is set (CI sets it) it fails, so a missing install step
/// cannot turn into a quiet skip.
/// </summary>
public static class MissingComponent
{
    public const string RequireAllVariable = "OPENWARD_TESTS_REQUIRE_ALL";

    /// <summary>Skips (or fails, under <see cref="RequireAllVariable"/>) the running test with <paramref name="reason"/>.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Stop(string reason)
    {
        if (Environment.GetEnvironmentVariable(RequireAllVariable) == "1")
        {
            Assert.Fail($"{reason} ({RequireAllVariable}=1 makes this a failure, not a skip)");
        }

        Assert.Skip(reason);
    }
}
