namespace OpenWard.Server.Identity;

/// <summary>An API client as the token endpoint sees it: its name, its role, and the SMART scopes it may be granted (none for a client with a secret).</summary>
public sealed record ApiClient(string Name, string Role, IReadOnlyList<string> SmartScopes);
