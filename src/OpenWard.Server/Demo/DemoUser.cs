namespace OpenWard.Server.Demo;

/// <summary>A demo sign-in for a person (user name, password, role).</summary>
public sealed record DemoUser(string UserName, string Password, string Role);
