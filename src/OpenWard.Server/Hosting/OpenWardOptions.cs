using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Hosting;

/// <summary>
/// The host's settings under <c>OpenWard:</c>: where its data lives, its listeners and its silo.
/// Each feature binds its own section besides (<c>OpenWard:Alerting</c>, <c>OpenWard:SignIn</c>, …;
/// see <see cref="ValidatedOptions"/>).
/// </summary>
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

    /// <summary>
    /// The settings as configured, for the parts of start-up that run before the options system
    /// (listeners, the silo, key files). Validation still happens at start through IOptions.
    /// </summary>
    public static OpenWardOptions From(IConfiguration configuration) => ValidatedOptions.Read<OpenWardOptions>(configuration, Section);

    /// <summary>The full path of <see cref="DataDirectory"/>.</summary>
    public string DataPath => Path.GetFullPath(DataDirectory);
}
