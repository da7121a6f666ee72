namespace OpenWard.Server.Gateway;

/// <summary>One socket the server listens on: its address with the scheme of what it speaks (<c>mqtt://127.0.0.1:1883</c>), and what it serves.</summary>
public sealed record OpenListener(string Address, string Serves);
