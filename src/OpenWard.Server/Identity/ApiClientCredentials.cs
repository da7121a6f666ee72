namespace OpenWard.Server.Identity;

/// <summary>A new API client's credentials, shown once.</summary>
public sealed record ApiClientCredentials(string ClientId, string ClientSecret, string Name, string Role);
