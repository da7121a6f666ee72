using System.Text.Json.Serialization;

namespace OpenWard.Server.BulkExport;

/// <summary>The completed export's manifest (Bulk Data Access IG v2, "Response - Complete Status").</summary>
public sealed record ExportManifest
{
    /// <summary>When the export began: nothing stored after it is in the files.</summary>
    [JsonPropertyName("transactionTime")]
    public required DateTimeOffset TransactionTime { get; init; }

    /// <summary>The kick-off request's URL.</summary>
    [JsonPropertyName("request")]
    public required string Request { get; init; }

    /// <summary>Always true: the files are downloaded with the requester's own access token.</summary>
    [JsonPropertyName("requiresAccessToken")]
    public bool RequiresAccessToken => true;

    /// <summary>One entry per file.</summary>
    [JsonPropertyName("output")]
    public required IReadOnlyList<ManifestFile> Output { get; init; }

    /// <summary>Files of OperationOutcomes for resources that could not be exported: none, since an export that cannot write a resource fails as a whole.</summary>
    [JsonPropertyName("error")]
    public IReadOnlyList<ManifestFile> Error { get; init; } = [];

    /// <summary>The manifest of a completed export, its file URLs under <paramref name="statusUrl"/>.</summary>
    public static ExportManifest Of(ExportJob job, string statusUrl) => new()
    {
        TransactionTime = job.TransactionTime,
        Request = job.Request,
        Output = [.. job.Outputs.Select(o => new ManifestFile(o.Type, statusUrl + "/" + o.FileName, o.Count))],
    };
}
