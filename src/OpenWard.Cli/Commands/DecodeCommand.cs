using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Hl7;
using OpenWard.Core.Readings;
using OpenWard.Core.Vitals;
using OpenWard.Fhir;
using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Templates;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward decode</c>: runs one of OpenWard's decoders on a value or a file, offline, and prints
/// the readings one JSON object per line (device JSON v1 with the LOINC and MDC codes), or the
/// decode error with a non-zero exit status.
/// </summary>
public static class DecodeCommand
{
    private static readonly JsonSerializerOptions Line = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Normalized measurements keep the connector's shape, patientId included even when there is none.
    private static readonly JsonSerializerOptions MeasurementLine = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Option<string>("--format") { Description = "gatt (Bluetooth LE characteristic value), hl7 (ORU^R01), fhir (Observation or Bundle), json (device JSON v1) or template (vendor JSON through a device mapping template)", Required = true };
        format.AcceptOnlyFromAmong("gatt", "hl7", "fhir", "json", "template");
        var characteristic = new Option<string?>("--characteristic") { Description = "For gatt: the characteristic UUID, e.g. 2A35" };
        var hex = new Option<string?>("--hex") { Description = "For gatt: the value in hex, spaces allowed" };
        var template = new Option<FileInfo?>("--template") { Description = "For template: the device mapping template (CollectionContent)" };
        var fhirMapping = new Option<FileInfo?>("--fhir-mapping") { Description = "For template: the FHIR destination mapping (CollectionFhir); prints readings instead of measurements" };
        var deviceId = new Option<string?>("--device-id") { Description = "For template: the sending device, as OpenWard's gateway would fill it in (IoT Hub's iothub-connection-device-id)" };
        var file = new Argument<FileInfo?>("FILE") { Description = "The message or payload (gatt: raw bytes)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("decode", "Decode a device payload offline and print its readings")
        {
            format, characteristic, hex, template, fhirMapping, deviceId, file,
        };
        command.SetAction(parse =>
        {
            try
            {
                return parse.GetValue(format) switch
                {
                    "gatt" => Gatt(parse.GetValue(characteristic), parse.GetValue(hex), parse.GetValue(file)),
                    "hl7" => Hl7(ReadText(parse.GetValue(file))),
                    "fhir" => Fhir(ReadText(parse.GetValue(file))),
                    "template" => Template(parse.GetValue(template), parse.GetValue(fhirMapping), parse.GetValue(deviceId), parse.GetValue(file)),
                    _ => Json(ReadText(parse.GetValue(file))),
                };
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"openward: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static int Gatt(string? characteristic, string? hex, FileInfo? file)
    {
        if (characteristic is null || !GattCharacteristic.TryParse(characteristic, out var uuid))
        {
            return Fail("--characteristic is required for gatt, e.g. --characteristic 2A35");
        }

        byte[] value;
        if (hex is not null)
        {
            try
            {
                value = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
            }
            catch (FormatException)
            {
                return Fail("--hex must be pairs of hexadecimal digits");
            }
        }
        else if (file is not null)
        {
            value = File.ReadAllBytes(file.FullName);
        }
        else
        {
            return Fail("give the value with --hex or as a FILE of raw bytes");
        }

        var decoded = GattDecoder.Decode(uuid, value, DateTimeOffset.UtcNow);
        if (decoded.Problem is not null)
        {
            return Fail(decoded.Problem);
        }

        foreach (var note in decoded.Notes)
        {
            Console.Error.WriteLine($"note: {note}");
        }

        return PrintAll(decoded.Readings.Select((reading, i) => (FormattableString.Invariant($"value {i}"), (ReadingSubmission?)reading, (string?)null, (string?)null)));
    }

    private static int Hl7(string text)
    {
        if (!Hl7Message.TryParse(text, out var message, out var problem))
        {
            return Fail(problem!);
        }

        var oru = OruR01Reader.Read(message!);
        if (oru.Problem is not null)
        {
            return Fail(oru.Problem);
        }

        return PrintAll(oru.Observations.Select(o => (FormattableString.Invariant($"OBX {o.Index}"), o.Submission, (string?)o.DeviceId, o.Problem)));
    }

    private static int Fhir(string text)
    {
        var request = FhirObservationReader.Read(text);
        if (request.Problem is not null)
        {
            return Fail(request.Problem);
        }

        return PrintAll(request.Observations.Select(o => (FormattableString.Invariant($"entry {o.Index}"), o.Submission, o.DeviceId, o.Problem)));
    }

    private static int Json(string text)
    {
        var batch = DeviceJsonFormat.Decode(Encoding.UTF8.GetBytes(text));
        if (batch.Problem is not null)
        {
            return Fail(batch.Problem);
        }

        return PrintAll(batch.Items.Select(i => (FormattableString.Invariant($"reading {i.Index}"), i.Submission, (string?)null, i.Problem)));
    }

    /// <summary>
    /// Reads one message as the IoMT FHIR Connector would (<c>{"Body", "Properties",
    /// "SystemProperties"}</c>, or a bare payload as the Body) and prints its normalized
    /// measurements, or with a FHIR mapping its readings.
    /// </summary>
    private static int Template(FileInfo? templateFile, FileInfo? fhirFile, string? deviceId, FileInfo? file)
    {
        if (templateFile is null)
        {
            return Fail("--template DEVICE_MAPPING.json is required for template");
        }

        var mappingLoad = DeviceMapping.Load(File.ReadAllText(templateFile.FullName));
        var fhirLoad = fhirFile is null ? null : FhirMapping.Load(File.ReadAllText(fhirFile.FullName));
        if (!TemplateReport.Print(mappingLoad, templateFile) | (fhirLoad is not null && !TemplateReport.Print(fhirLoad, fhirFile!)))
        {
            return 1;
        }

        var mapping = mappingLoad.Template!;
        var fhir = fhirLoad?.Template;
        var extraction = mapping.Extract(ReadText(file), deviceId, DateTimeOffset.UtcNow);
        if (extraction.MessageProblem is not null)
        {
            return Fail(extraction.MessageProblem);
        }

        var failed = extraction.Problems.Count > 0;
        foreach (var problem in extraction.Problems)
        {
            Console.Error.WriteLine($"openward: {problem.Type}: {problem.Reason}");
        }

        foreach (var measurement in extraction.Measurements)
        {
            if (fhir is null)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    type = measurement.Type,
                    occurrenceTimeUtc = measurement.OccurrenceTimeUtc,
                    deviceId = measurement.DeviceId,
                    patientId = measurement.PatientId,
                    properties = measurement.Properties.Select(p => new { name = p.Name, value = p.Value }),
                }, MeasurementLine));
                continue;
            }

            // Checked as the server checks it, so that a mislabelled unit shows here and not in the dead letters.
            var conversion = fhir.ToReading(measurement);
            var problem = conversion.Problem
                ?? ReadingValidator.Check(conversion.Reading!, measurement.DeviceId, DateTimeOffset.UtcNow).Problem;
            if (problem is null)
            {
                Print(conversion.Reading!, measurement.DeviceId);
            }
            else
            {
                Console.Error.WriteLine($"openward: {measurement.Type}: {problem}");
                failed = true;
            }
        }

        return failed ? 1 : 0;
    }

    /// <summary>Prints each decoded reading on stdout and each problem on stderr; 1 when there was a problem.</summary>
    // Each reading the server would accept is printed; each it would refuse — undecodable, or failing the
    // server's own checks (vital sign, unit, plausible range, clock) — is named with its reason, and the exit is 1.
    private static int PrintAll(IEnumerable<(string Where, ReadingSubmission? Submission, string? DeviceId, string? Problem)> decoded)
    {
        var failed = false;
        var any = false;
        foreach (var (where, submission, deviceId, problem) in decoded)
        {
            any = true;
            var refusal = submission is null ? problem : ReadingValidator.Check(submission, deviceId ?? "decode", DateTimeOffset.UtcNow).Problem;
            if (refusal is null)
            {
                Print(submission!, deviceId);
            }
            else
            {
                Console.Error.WriteLine($"openward: {where}: {refusal}");
                failed = true;
            }
        }

        if (!any)
        {
            return Fail("no readings found in the input");
        }

        return failed ? 1 : 0;
    }

    private static void Print(ReadingSubmission reading, string? deviceId)
    {
        var vital = reading.Vital is null ? null : VitalSignCatalogue.Find(reading.Vital);
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            vital = reading.Vital,
            time = reading.Time,
            value = reading.Value,
            components = reading.Components,
            unit = reading.Unit,
            seq = reading.Sequence,
            loinc = vital?.Loinc,
            mdc = vital?.Mdc?.ReferenceId,
            mdcCode = vital?.Mdc?.Code,
            deviceId,
        }, Line));
    }

    private static string ReadText(FileInfo? file) =>
        file is null ? Console.In.ReadToEnd() : File.ReadAllText(file.FullName);

    private static int Fail(string problem)
    {
        Console.Error.WriteLine($"openward: {problem}");
        return 1;
    }
}
