using OpenWard.Core.DeviceProtocol;

namespace OpenWard.Core.Bluetooth;

/// <summary>
/// What a GATT characteristic value held: readings in OpenWard's vocabulary (still to be validated
/// like any other), notes on what was present but not kept, or why the value could not be decoded.
/// </summary>
public sealed record GattDecodeResult
{
    /// <summary>The readings the value carried.</summary>
    public IReadOnlyList<ReadingSubmission> Readings { get; init; } = [];

    /// <summary>Fields decoded but not stored, and why (e.g. a value the device marked NaN).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Why the value could not be decoded at all; null when it could.</summary>
    public string? Problem { get; init; }

    /// <summary>A value that could not be decoded.</summary>
    public static GattDecodeResult Refused(string problem) => new() { Problem = problem };
}
