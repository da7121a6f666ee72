using OpenWard.Core.Readings;

namespace OpenWard.Server.Readings;

/// <summary>A reading as stored, with the store's id for it (stable for the reading's life).</summary>
public sealed record StoredReading(long Id, Reading Reading);
