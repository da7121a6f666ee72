using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Patients;

/// <summary>How values are shown to people (<c>OpenWard:Display</c>); what is stored does not change.</summary>
public sealed class DisplayOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Display";

    /// <summary>The unit blood glucose is shown in: <c>mmol/L</c> (the UK, most of Europe) or <c>mg/dL</c> (the United States).</summary>
    [AllowedValues("mmol/L", "mg/dL")]
    public string GlucoseUnit { get; set; } = "mmol/L";
}
