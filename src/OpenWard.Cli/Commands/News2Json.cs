using OpenWard.Core.Scores;

namespace OpenWard.Cli.Commands;

/// <summary>How a NEWS2 score is printed.</summary>
public static class News2Json
{
    /// <summary>The JSON shape: each parameter, the total, the response level, the scale, and what was missing.</summary>
    public static object From(News2Score score) => new
    {
        parameters = score.Parameters.Select(p => new { name = p.Name, value = p.Value, score = p.Score }),
        total = score.Total,
        response = News2.ResponseName(score.Response),
        spo2Scale = (int)score.SpO2Scale,
        complete = score.IsComplete,
        missing = score.Missing,
    };
}
