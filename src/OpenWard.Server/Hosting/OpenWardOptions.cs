using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>Settings under <c>OpenWard:</c> in any ASP.NET Core configuration source.</summary>
public sealed class OpenWardOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard";

    /// <summary>Where the database, keys, certificate and credentials live (created owner-only).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The device broker's listeners (<c>OpenWard:Mqtt:…</c>).</summary>
    public ListenerOptions Mqtt { get; set; } = new() { Port = 1883, TlsPort = 8883 };

    /// <summary>The HL7 v2 MLLP listeners for bedside monitors and gateways (<c>OpenWard:Mllp:…</c>); both off by default.</summary>
    public MllpOptions Mllp { get; set; } = new();

    /// <summary>The in-process Orleans silo that holds per-patient state.</summary>
    public SiloOptions Orleans { get; set; } = new();

    /// <summary>Browser-facing settings: CORS origins (<c>OpenWard:Web:…</c>).</summary>
    public WebOptions Web { get; set; } = new();

    /// <summary>Rule timing and alert escalation (<c>OpenWard:Alerting:…</c>).</summary>
    public Alerts.AlertingOptions Alerting { get; set; } = new();

    /// <summary>Sign-in for people: lockout, break-glass duration, the console's redirect URIs (<c>OpenWard:SignIn:…</c>).</summary>
    public People.SignInOptions SignIn { get; set; } = new();

    /// <summary>Device brute-force lockout and rate limits (<c>OpenWard:Devices:…</c>).</summary>
    public Devices.DeviceLimitsOptions Devices { get; set; } = new();

    /// <summary>The key-encryption key for patient identifiers, names and notes at rest (<c>OpenWard:Encryption:…</c>).</summary>
    public Protection.EncryptionOptions Encryption { get; set; } = new();

    /// <summary>Where and how often the audit trail is anchored outside the database (<c>OpenWard:Audit:…</c>).</summary>
    public Audit.AuditOptions Audit { get; set; } = new();

    /// <summary>
    /// The settings as configured, for the parts of start-up that run before the options system
    /// (listeners, the silo, key files). Validation still happens at start through IOptions.
    /// </summary>
    public static OpenWardOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<OpenWardOptions>() ?? new OpenWardOptions();

    /// <summary>The full path of <see cref="DataDirectory"/>.</summary>
    public string DataPath => Path.GetFullPath(DataDirectory);
}
