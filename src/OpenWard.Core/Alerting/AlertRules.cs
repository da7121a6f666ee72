using OpenWard.Core.Vitals;

namespace OpenWard.Core.Alerting;

/// <summary>
/// The rule an alert belongs to, for counting alerts per rule (alarm-fatigue measures): an alert's
/// condition names its rule, except that conditions kept per device (<c>device-offline:oxi-7</c>,
/// <c>device-battery:oxi-7</c>) belong to the rule named by their prefix, so that every device's alerts
/// count together. Whether a condition's last part is a device is asked of the caller, so that
/// conditions added later group without a list here.
/// </summary>
public static class AlertRules
{
    // First parts of conditions whose plain words would not read well; any other part reads as its
    // measure's name or as its words.
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["threshold"] = "",
        ["trend"] = "",
        ["emergency"] = "",
        ["gap"] = "No data:",
        ["news2"] = "NEWS2",
        ["device-battery"] = "Device battery low",
    };

    /// <summary>The rule of an alert's condition: the condition, or its prefix when its last part is a device id.</summary>
    /// <param name="condition">The alert's condition, e.g. <c>threshold:heart-rate:high</c>.</param>
    /// <param name="isDevice">Whether a string is a device's id.</param>
    public static string Of(string condition, Func<string, bool> isDevice)
    {
        var last = condition.LastIndexOf(':');
        return last > 0 && isDevice(condition[(last + 1)..]) ? condition[..last] : condition;
    }

    /// <summary>
    /// A rule's name as clinicians read it: <c>threshold:heart-rate:high</c> → "Heart rate high",
    /// <c>trend:body-weight:gain</c> → "Body weight gain (trend)", <c>gap:spo2</c> → "No data: Oxygen
    /// saturation (SpO2)", <c>device-offline</c> → "Device offline"; a rule unknown here reads as its words.
    /// </summary>
    public static string Describe(string rule)
    {
        var parts = rule.Split(':');
        var words = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var word = i == 0 && Kinds.TryGetValue(parts[i], out var kind)
                ? kind
                : VitalSignCatalogue.DisplayOf(parts[i]) ?? parts[i].Replace('-', ' ');
            if (word.Length > 0)
            {
                words.Add(word);
            }
        }

        if (parts[0] == "trend")
        {
            words.Add("(trend)");
        }

        var name = string.Join(' ', words);
        return name.Length == 0 ? rule : char.ToUpperInvariant(name[0]) + name[1..];
    }
}
