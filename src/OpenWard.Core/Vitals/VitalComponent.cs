namespace OpenWard.Core.Vitals;

/// <summary>One named part of a multi-part vital sign, such as the systolic pressure of a blood pressure.</summary>
public sealed record VitalComponent
{
    /// <summary>The key devices use in the <c>components</c> object, e.g. <c>systolic</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Human-readable name.</summary>
    public required string Display { get; init; }

    /// <summary>LOINC code of the component.</summary>
    public required string Loinc { get; init; }

    /// <summary>IEEE 11073 MDC code of the component.</summary>
    public required MdcCode Mdc { get; init; }

    /// <summary>Range of physiologically possible values, in the vital sign's canonical unit.</summary>
    public required PlausibleRange Plausible { get; init; }

    /// <summary>Whether a reading must carry this component.</summary>
    public bool Required { get; init; } = true;
}
