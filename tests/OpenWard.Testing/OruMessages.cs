using System.Text;
using OpenWard.Core.Hl7;

namespace OpenWard.Testing;

/// <summary>HL7 v2 ORU^R01 messages as a bedside monitor or an interface engine sends them.</summary>
public static class OruMessages
{
    /// <summary>One message for one patient (PID-3) whose first OBX names the device (OBX-18).</summary>
    public static string For(string mrn, string controlId, string device, DateTimeOffset time, params string[] observations)
    {
        var t = Hl7Time.Format(time);
        var text = new StringBuilder($"MSH|^~\\&|BEDSIDE|ICU|OpenWard|OpenWard|{t}||ORU^R01^ORU_R01|{controlId}|P|2.6\rPID|||{mrn}^^^HOSP^MR\rOBR|1|||monitoring|||{t}\r");
        for (var i = 0; i < observations.Length; i++)
        {
            text.Append(FormattableString.Invariant($"OBX|{i + 1}|NM|{observations[i]}|||||R|||{t}||||{(i == 0 ? device : "")}\r"));
        }

        return text.ToString();
    }

    /// <summary>A heart rate from the device, for a patient OpenWard knows through the device's assignment.</summary>
    public static string HeartRate(string controlId, string device, DateTimeOffset time, int value) =>
        For("MRN-1", controlId, device, time, FormattableString.Invariant($"8867-4^Heart rate^LN||{value}|/min"));
}
