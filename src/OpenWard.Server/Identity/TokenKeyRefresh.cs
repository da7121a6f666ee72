using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.People;

namespace OpenWard.Server.Identity;

/// <summary>
/// Reads the token keys from the store every <see cref="SignInOptions.TokenKeyRefreshSeconds"/>, so that
/// a rotation made on another node reaches this one; the round also rotates the signing key when it
/// is due and deletes retired keys past their two days.
/// </summary>
public sealed class TokenKeyRefresh(TokenKeyStore store, TokenKeyRing ring, IOptions<SignInOptions> signIn, TimeProvider clock, ILogger<TokenKeyRefresh> logger)
    : PeriodicCheck(TimeSpan.FromSeconds(signIn.Value.TokenKeyRefreshSeconds), clock, logger)
{
    /// <inheritdoc />
    public override async Task CheckAsync(CancellationToken cancellationToken) => ring.Use(await store.RefreshAsync(cancellationToken));
}
