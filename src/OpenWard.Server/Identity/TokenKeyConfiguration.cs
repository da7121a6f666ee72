using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;

namespace OpenWard.Server.Identity;

/// <summary>
/// Gives OpenIddict the node's token keys (<see cref="TokenKeyRing"/>) each time its options are built:
/// the server signs with the current signing key only and encrypts with the encryption key; the server
/// (for refresh tokens and authorization codes) and the validation of access tokens accept a signature
/// by any trusted key — the next one and the retired ones too.
/// </summary>
/// <param name="ring">The node's token keys.</param>
public sealed class TokenKeyConfiguration(TokenKeyRing ring) :
    IConfigureOptions<OpenIddictServerOptions>, IPostConfigureOptions<OpenIddictServerOptions>, IConfigureOptions<OpenIddictValidationOptions>
{
    /// <inheritdoc />
    public void Configure(OpenIddictServerOptions options)
    {
        var keys = ring.Keys;
        options.SigningCredentials.Add(new SigningCredentials(keys.Signing, SecurityAlgorithms.RsaSha256));
        options.EncryptionCredentials.Add(new EncryptingCredentials(keys.Encryption, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
    }

    /// <inheritdoc />
    /// <remarks>After OpenIddict's own, which accepts signatures by the signing credentials alone.</remarks>
    public void PostConfigure(string? name, OpenIddictServerOptions options) =>
        options.TokenValidationParameters.IssuerSigningKeys = ring.Keys.Trusted;

    /// <inheritdoc />
    /// <remarks>The local server's signing key comes with its options too; these add the other trusted keys.</remarks>
    public void Configure(OpenIddictValidationOptions options) =>
        options.TokenValidationParameters.IssuerSigningKeys = ring.Keys.Trusted;
}
