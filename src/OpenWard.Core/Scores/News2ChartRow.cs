namespace OpenWard.Core.Scores;

/// <summary>A NEWS2 parameter that devices measure: the measure it is scored from, its name on the chart, and its bands, lowest first.</summary>
public sealed record News2ChartRow(string Measure, string Parameter, IReadOnlyList<News2Band> Bands);
