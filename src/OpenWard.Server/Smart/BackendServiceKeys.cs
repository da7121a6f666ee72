using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Smart;

/// <summary>
/// The public keys a backend service registers (a JSON Web Key Set), checked before they are stored: at least
/// one signing key, each RSA of 2048 bits or more or EC on P-384, and no private part — a key set holding a
/// private key is refused, because whoever sent it has already shared the secret it was meant to keep.
/// </summary>
public static class BackendServiceKeys
{
    /// <summary>The smallest RSA modulus accepted, in bits.</summary>
    public const int SmallestRsaKey = 2048;

    /// <summary>Reads a key set, or says why it cannot be registered.</summary>
    public static Outcome<JsonWebKeySet> Read(JsonElement json)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json.GetRawText());
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException)
        {
            return Refused($"the key set is not a JSON Web Key Set ({exception.GetType().Name})");
        }

        if (set.Keys.Count == 0)
        {
            return Refused("the key set holds no keys; give the public keys the service signs its assertions with");
        }

        foreach (var key in set.Keys)
        {
            var name = key.Kid is { Length: > 0 } kid ? $"key '{kid}'" : "a key";
            if (key.HasPrivateKey || !string.IsNullOrEmpty(key.D) || !string.IsNullOrEmpty(key.P))
            {
                return Refused($"{name} holds a private part: register the public keys only, and keep the private key with the service");
            }

            if (key.Use is { Length: > 0 } use && use != JsonWebKeyUseNames.Sig)
            {
                return Refused($"{name} is for '{use}', not for signatures (use: sig)");
            }

            if (key.Alg is { Length: > 0 } alg && !ClientAssertionClaims.Algorithms.Contains(alg))
            {
                return Refused($"{name} is for {alg}; backend services sign with {string.Join(" or ", ClientAssertionClaims.Algorithms)}");
            }

            var problem = key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA when string.IsNullOrEmpty(key.N) || string.IsNullOrEmpty(key.E) => "has no modulus (n) or exponent (e)",
                JsonWebAlgorithmsKeyTypes.RSA when Base64UrlEncoder.DecodeBytes(key.N).SkipWhile(b => b == 0).Count() * 8 < SmallestRsaKey =>
                    $"is an RSA key of fewer than {SmallestRsaKey} bits",
                JsonWebAlgorithmsKeyTypes.RSA => null,
                JsonWebAlgorithmsKeyTypes.EllipticCurve when key.Crv != JsonWebKeyECTypes.P384 =>
                    $"is on curve {key.Crv ?? "(none)"}; ES384 signs with P-384",
                JsonWebAlgorithmsKeyTypes.EllipticCurve when string.IsNullOrEmpty(key.X) || string.IsNullOrEmpty(key.Y) => "has no point (x, y)",
                JsonWebAlgorithmsKeyTypes.EllipticCurve => null,
                _ => $"is of type {key.Kty ?? "(none)"}; RS384 needs an RSA key and ES384 an EC key",
            };
            if (problem is not null)
            {
                return Refused($"{name} {problem}");
            }
        }

        return Outcome<JsonWebKeySet>.Done(set);
    }

    private static Outcome<JsonWebKeySet> Refused(string reason) => Outcome<JsonWebKeySet>.Refused(ProblemKind.Invalid, reason);
}
