namespace OpenWard.Server.Identity;

/// <summary>
/// A backend service just registered: its client id, which it names as <c>iss</c> and <c>sub</c> of its client
/// assertions; the SMART scopes it may be granted; the ids (<c>kid</c>) of the keys it signs with. It has no secret.
/// </summary>
public sealed record BackendServiceRegistration(string ClientId, string Name, string Role, IReadOnlyList<string> Scopes, IReadOnlyList<string> KeyIds);
