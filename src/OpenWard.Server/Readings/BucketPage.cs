namespace OpenWard.Server.Readings;

/// <summary>A page of buckets and the cursor for the next page (null on the last page).</summary>
public sealed record BucketPage(string Vital, string Unit, string Resolution, IReadOnlyList<ReadingBucket> Buckets, string? Next);
