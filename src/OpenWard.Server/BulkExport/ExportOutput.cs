namespace OpenWard.Server.BulkExport;

/// <summary>One ndjson file of a finished export: its resource type, its file name and how many resources (lines) it holds.</summary>
public sealed record ExportOutput(string Type, string FileName, long Count);
