using System.Text.Json.Serialization;

namespace OpenWard.Server.BulkExport;

/// <summary>One file in an export's manifest: its resource type, where to download it and how many resources it holds.</summary>
public sealed record ManifestFile(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("count")] long Count);
