namespace OpenWard.Server.Readings;

/// <summary>The bucket sizes the readings API offers: <c>1m</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>.</summary>
public static class Resolution
{
    /// <summary>The accepted names, for error messages.</summary>
    public const string Accepted = "1m, 5m, 1h, 1d";

    /// <summary>The bucket length for a resolution name, or null when the name is not offered.</summary>
    public static TimeSpan? Parse(string name) => name switch
    {
        "1m" => TimeSpan.FromMinutes(1),
        "5m" => TimeSpan.FromMinutes(5),
        "1h" => TimeSpan.FromHours(1),
        "1d" => TimeSpan.FromDays(1),
        _ => null,
    };
}
