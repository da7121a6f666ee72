namespace OpenWard.Core.Alerting;

/// <summary>One reading as the rules take it: a catalogue vital sign in its canonical unit, from a device when known.</summary>
/// <param name="Vital">Vital-sign catalogue key.</param>
/// <param name="Value">Single value, for a vital sign without components.</param>
/// <param name="Components">Component values, for one with components (blood pressure).</param>
/// <param name="Time">When it was measured.</param>
/// <param name="DeviceId">The device that measured, if known.</param>
public readonly record struct RuleReading(
    string Vital, double? Value, IReadOnlyDictionary<string, double>? Components, DateTimeOffset Time, string? DeviceId = null);
