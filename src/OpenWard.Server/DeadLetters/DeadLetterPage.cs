using OpenWard.Server.Readings;

namespace OpenWard.Server.DeadLetters;

/// <summary>A page of dead letters, newest first, and the cursor for the next page.</summary>
public sealed record DeadLetterPage(IReadOnlyList<DeadLetter> Items, string? Next);
