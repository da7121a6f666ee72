using OpenWard.Core.Readings;

namespace OpenWard.Server.Ingest;

/// <summary>A reading of a payload that is in the store once the payload is answered: stored now, or stored before (sent twice).</summary>
/// <param name="Index">The item's position in the payload.</param>
/// <param name="Reading">The reading as validated and attributed.</param>
public sealed record ReadingInStore(int Index, Reading Reading);
