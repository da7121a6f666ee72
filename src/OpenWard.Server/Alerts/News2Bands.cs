using OpenWard.Core.Scores;

namespace OpenWard.Server.Alerts;

/// <summary>
/// A patient's NEWS2 chart bands (<c>GET …/news2/bands</c>): the parameters devices measure, each with the bands
/// it is scored by — from Core's NEWS2 scoring, with the patient's SpO2 scale and oxygen — for charts to shade.
/// </summary>
public sealed record News2Bands(SpO2Scale SpO2Scale, bool OnOxygen, IReadOnlyList<News2ChartRow> Parameters);
