using Microsoft.Extensions.Options;

namespace OpenWard.Server.Identity;

/// <summary>Tells the options system that <typeparamref name="TOptions"/> (OpenIddict's server or validation options) must be built again when the token keys change.</summary>
/// <param name="ring">The node's token keys.</param>
public sealed class TokenKeyChanges<TOptions>(TokenKeyRing ring) : IOptionsChangeTokenSource<TOptions>
{
    /// <inheritdoc />
    public string Name => Options.DefaultName;

    /// <inheritdoc />
    public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => ring.Changes;
}
