using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Alerts;

/// <summary>E-mail delivery of alerts (<c>OpenWard:Alerting:Email:…</c>); off unless a host and recipients are set.</summary>
public sealed class EmailOptions
{
    /// <summary>The SMTP server.</summary>
    public string? Host { get; set; }

    /// <summary>The SMTP port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Whether to use STARTTLS (on outside tests).</summary>
    public bool UseTls { get; set; } = true;

    /// <summary>The sender address.</summary>
    public string From { get; set; } = "openward@localhost";

    /// <summary>The recipients (e.g. a ward's shared inbox or a pager gateway's address).</summary>
    public string[] To { get; set; } = [];

    /// <summary>The SMTP user, if the server needs one.</summary>
    public string? UserName { get; set; }

    /// <summary>The SMTP password.</summary>
    public string? Password { get; set; }
}
