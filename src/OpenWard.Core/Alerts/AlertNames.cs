namespace OpenWard.Core.Alerts;

/// <summary>How states and changes are named in the API, the store, the history and refusals.</summary>
public static class AlertNames
{
    /// <summary><c>raised</c>, <c>acknowledged</c> or <c>resolved</c>.</summary>
    public static string Of(AlertState state) => state switch
    {
        AlertState.Raised => "raised",
        AlertState.Acknowledged => "acknowledged",
        _ => "resolved",
    };

    /// <summary><c>raised</c>, <c>updated</c>, <c>escalated</c>, <c>acknowledged</c>, <c>commented</c> or <c>resolved</c>.</summary>
    public static string Of(AlertChange change) => change switch
    {
        AlertChange.Raised => "raised",
        AlertChange.Updated => "updated",
        AlertChange.Escalated => "escalated",
        AlertChange.Acknowledged => "acknowledged",
        AlertChange.Commented => "commented",
        _ => "resolved",
    };

    /// <summary>Whether <paramref name="name"/> names a state.</summary>
    public static bool IsState(string name) => Enum.GetValues<AlertState>().Any(state => Of(state) == name);

    /// <summary>The state with this name (as <see cref="Of(AlertState)"/> writes it); anything else is taken as resolved.</summary>
    public static AlertState StateNamed(string name) => name switch
    {
        "raised" => AlertState.Raised,
        "acknowledged" => AlertState.Acknowledged,
        _ => AlertState.Resolved,
    };
}
