namespace OpenWard.Server.Protection;

/// <summary>
/// Encryption of patient identifiers, names and clinical notes at rest (<c>OpenWard:Encryption:…</c>).
/// The key-encryption key (KEK) wraps the data keys stored in the database; it never is stored there.
/// </summary>
public sealed class EncryptionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Encryption";

    /// <summary>The KEK as base64 (32 bytes), e.g. from a secret store through an environment variable; overrides <see cref="KeyFile"/>.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>The file holding the KEK (32 bytes), relative to the data directory; created owner-only on first start.</summary>
    public string KeyFile { get; set; } = "field-encryption.key";

    /// <summary>
    /// The previous KEK (base64) while rotating it: data keys wrapped under it are re-wrapped under the
    /// current KEK at start, after which it can be removed.
    /// </summary>
    public string? PreviousKeyEncryptionKey { get; set; }
}
