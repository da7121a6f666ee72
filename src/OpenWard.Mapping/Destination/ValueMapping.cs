using OpenWard.Core.Vitals;

namespace OpenWard.Mapping.Destination;

/// <summary>
/// Where a vital sign's value (or one component's) comes from in a measurement: the property
/// named <see cref="ValueName"/>, in <see cref="Unit"/>.
/// </summary>
internal sealed record ValueMapping(string ValueName, UnitConversion Unit, VitalComponent? Component);
