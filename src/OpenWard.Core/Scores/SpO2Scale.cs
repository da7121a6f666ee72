namespace OpenWard.Core.Scores;

/// <summary>Which NEWS2 oxygen saturation scale applies to a patient.</summary>
public enum SpO2Scale
{
    /// <summary>Scale 1: the default for every patient.</summary>
    Scale1 = 1,

    /// <summary>
    /// Scale 2: for patients with hypercapnic respiratory failure and a prescribed target range of
    /// 88–92 %, chosen by a clinician; never the default.
    /// </summary>
    Scale2 = 2,
}
