using System.Buffers;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Core.Readings;
using OpenWard.Fhir;

namespace OpenWard.Server.BulkExport;

/// <summary>
/// Writes resources to an ndjson file one line at a time, through a buffer of fixed size, so that an
/// export's memory does not grow with its length. The file is readable by the service account only.
/// Lines are written by one thread at a time; <see cref="Count"/> may be read from any.
/// </summary>
public sealed class NdjsonFile : IAsyncDisposable
{
    private const int BufferSize = 1 << 16;
    private readonly FileStream stream;
    private readonly ArrayBufferWriter<byte> buffer = new(BufferSize + (BufferSize / 4));
    private readonly Utf8JsonWriter writer;
    private readonly ObservationJson observations = new();
    private long count;

    /// <summary>Creates (or replaces) the file.</summary>
    public NdjsonFile(string path)
    {
        // The file is written in whole buffers of its own, so the stream keeps none.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, BufferSize = 0, };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        stream = new FileStream(path, options);
        writer = new Utf8JsonWriter(buffer, ObservationJson.WriterOptions);
    }

    /// <summary>How many resources have been written.</summary>
    public long Count => Interlocked.Read(ref count);

    /// <summary>Writes one resource as one line, through the Firely SDK.</summary>
    public void Write(Resource resource)
    {
        JsonSerializer.Serialize<Resource>(writer, resource, FhirJson.Options);
        EndLine();
    }

    /// <summary>
    /// Writes the Observation of a stored reading as one line: the same JSON as the SDK's serialisation
    /// of <see cref="ObservationResources.From(long, Reading)"/>, written directly (<see cref="ObservationJson"/>).
    /// </summary>
    public void Write(long storedId, Reading reading)
    {
        observations.Write(writer, storedId, reading);
        EndLine();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await writer.DisposeAsync();
        if (buffer.WrittenCount > 0)
        {
            await stream.WriteAsync(buffer.WrittenMemory);
        }

        await stream.DisposeAsync();
    }

    private void EndLine()
    {
        writer.Flush();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        writer.Reset();
        Interlocked.Increment(ref count);
        if (buffer.WrittenCount >= BufferSize)
        {
            // Whole buffers go to the disk as they fill: the export's memory stays this buffer's size.
            stream.Write(buffer.WrittenSpan);
            buffer.ResetWrittenCount();
        }
    }
}
