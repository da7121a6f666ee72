namespace OpenWard.Core.Scores;

/// <summary>
/// One band of a NEWS2 parameter as the chart prints it: values from <see cref="Low"/> to
/// <see cref="High"/> (both included, as the parameter is charted — whole numbers, temperature to one
/// decimal; null where the band is open) score <see cref="Score"/>.
/// </summary>
public sealed record News2Band(double? Low, double? High, int Score);
