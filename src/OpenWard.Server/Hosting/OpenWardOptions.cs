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

    /// <summary>The device broker's listeners.</summary>
    public MqttListenerOptions Mqtt { get; set; } = new();

    /// <summary>The in-process Orleans silo that holds per-patient state.</summary>
    public SiloOptions Orleans { get; set; } = new();

    /// <summary>The full path of <see cref="DataDirectory"/>.</summary>
    public string DataPath => Path.GetFullPath(DataDirectory);
}
