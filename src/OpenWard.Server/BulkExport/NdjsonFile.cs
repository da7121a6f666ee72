using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// Writes resources to an ndjson file one line at a time, through a buffer of fixed size, so that an
/// export's memory does not grow with its length. The file is readable by the service account only.
/// </summary>
public sealed class NdjsonFile : IAsyncDisposable
{
    private const int BufferSize = 1 << 16;
    private static readonly byte[] NewLine = [(byte)'\n'];
    private readonly FileStream stream;
    private readonly Utf8JsonWriter writer;

    /// <summary>Creates (or replaces) the file.</summary>
    public NdjsonFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = BufferSize, };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        stream = new FileStream(path, options);
        writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>How many resources have been written.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one resource as one line (into the file's buffer, which goes to the disk whenever it is full).</summary>
    public void Write(Resource resource)
    {
        JsonSerializer.Serialize<Resource>(writer, resource, FhirJson.Options);
        writer.Flush();
        writer.Reset();
        stream.Write(NewLine);
        Count++;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        await stream.DisposeAsync();
    }
}
