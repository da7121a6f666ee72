using System.Text;

namespace OpenWard.Core.Hl7;

/// <summary>Builds the ACK that answers a message: AA (accepted), AE (error) or AR (rejected), with the reasons in ERR and MSA-3.</summary>
public static class Hl7Acknowledgement
{
    /// <summary>The acknowledgement code: accepted.</summary>
    public const string Accepted = "AA";

    /// <summary>The acknowledgement code: processed, with errors.</summary>
    public const string Error = "AE";

    /// <summary>The acknowledgement code: rejected.</summary>
    public const string Rejected = "AR";

    /// <summary>
    /// The ACK for a message with control id <paramref name="controlId"/> from
    /// <paramref name="sendingApplication"/>/<paramref name="sendingFacility"/>; each reason
    /// becomes an ERR segment (code 207 for AE, 200 for AR).
    /// </summary>
    public static string Build(
        string code, string controlId, string sendingApplication, string sendingFacility, IReadOnlyList<string> reasons, DateTimeOffset now, string ackControlId)
    {
        var s = Hl7Separators.Standard;
        var text = new StringBuilder();
        text.Append("MSH|^~\\&|OpenWard|OpenWard|")
            .Append(s.EscapeText(sendingApplication)).Append('|').Append(s.EscapeText(sendingFacility)).Append('|')
            .Append(Hl7Time.Format(now)).Append("||ACK^R01^ACK|").Append(s.EscapeText(ackControlId)).Append("|P|2.6\r");
        text.Append("MSA|").Append(code).Append('|').Append(s.EscapeText(controlId));
        if (reasons.Count > 0)
        {
            text.Append('|').Append(s.EscapeText(reasons[0]));
        }

        text.Append('\r');
        var errorCode = code == Rejected ? "200^Unsupported message type^HL70357" : "207^Application internal error^HL70357";
        foreach (var reason in reasons)
        {
            text.Append("ERR|||").Append(errorCode).Append("|E||||").Append(s.EscapeText(reason)).Append('\r');
        }

        return text.ToString();
    }
}
