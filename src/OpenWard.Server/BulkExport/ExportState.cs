namespace OpenWard.Server.BulkExport;

/// <summary>Where an export is in its life.</summary>
public enum ExportState
{
    /// <summary>Its files are being written.</summary>
    Running,

    /// <summary>Every file is written and may be downloaded until it expires.</summary>
    Completed,

    /// <summary>It stopped on an error; its partial files are deleted.</summary>
    Failed,
}
