using OpenWard.Core.Readings;

namespace OpenWard.Server.Readings;

/// <summary>A page of raw readings and the cursor for the next page (null on the last page).</summary>
public sealed record ReadingPage(IReadOnlyList<ReadingView> Items, string? Next);
