using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenWard.Cli.Api;
using OpenWard.Core.Alerting;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;

namespace OpenWard.Cli.Evaluate;

/// <summary>
/// A dataset to replay through the rules (docs/alerting.md, "Evaluating on a dataset"): the readings
/// of <c>readings.ndjson</c> by patient, validated and de-duplicated as the live server would, the
/// optional per-patient <c>settings.json</c> and the optional <c>labels.json</c>.
/// </summary>
public sealed class EvaluationDataset
{
    /// <summary>How many refused lines are kept as examples for the report.</summary>
    private const int RefusalExamples = 10;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Each patient's accepted readings, in time order.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<RuleReading>> Readings { get; init; }

    /// <summary>Each patient's alert settings (the defaults for patients without any).</summary>
    public required IReadOnlyDictionary<string, PatientAlertSettings> Settings { get; init; }

    /// <summary>Each patient's label, when the dataset has labels.</summary>
    public IReadOnlyDictionary<string, PatientLabel>? Labels { get; init; }

    /// <summary>Lines the live server would have refused (or that are not readings at all).</summary>
    public required int RefusedLines { get; init; }

    /// <summary>The first few refused lines: line number and reason.</summary>
    public required IReadOnlyList<string> RefusalExamplesSeen { get; init; }

    /// <summary>Every device that sent an accepted reading.</summary>
    public required IReadOnlySet<string> Devices { get; init; }

    /// <summary>Readings sent twice (same device, vital sign and time): kept once, as the store does.</summary>
    public required int Duplicates { get; init; }

    /// <summary>The alert settings of a patient.</summary>
    public PatientAlertSettings SettingsOf(string patient) => Settings.TryGetValue(patient, out var settings) ? settings : new PatientAlertSettings();

    /// <summary>Loads a dataset directory; a file that cannot be used is a <see cref="CliException"/> saying why.</summary>
    public static EvaluationDataset Load(string directory)
    {
        var readingsFile = Path.Combine(directory, "readings.ndjson");
        if (!File.Exists(readingsFile))
        {
            throw new CliException($"{directory} has no readings.ndjson (one device-JSON reading a line, with a \"patient\" member)");
        }

        var settings = ReadOptional<Dictionary<string, PatientAlertSettings>>(Path.Combine(directory, "settings.json")) ?? [];
        foreach (var (patient, patientSettings) in settings)
        {
            var problems = AlertSettingsValidation.Problems(patientSettings);
            if (problems.Count > 0)
            {
                throw new CliException($"settings.json, patient {patient}: {string.Join("; ", problems)}");
            }
        }

        var labels = ReadOptional<Dictionary<string, PatientLabel>>(Path.Combine(directory, "labels.json"));
        foreach (var (patient, label) in labels ?? [])
        {
            if (label.Deteriorations.FirstOrDefault(d => d.Event < d.Onset) is { } backwards)
            {
                throw new CliException($"labels.json, patient {patient}: {backwards.Scenario} has its event before its onset");
            }
        }

        var byPatient = new Dictionary<string, List<RuleReading>>(StringComparer.Ordinal);
        var seen = new HashSet<(string Patient, string Device, string Vital, DateTimeOffset Time)>();
        var refused = 0;
        var duplicates = 0;
        var examples = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(readingsFile))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var (patient, device, reading, problem) = Parse(line);
            if (problem is not null)
            {
                refused++;
                if (examples.Count < RefusalExamples)
                {
                    examples.Add($"line {lineNumber}: {problem}");
                }

                continue;
            }

            if (!seen.Add((patient!, device!, reading!.Value.Vital, reading.Value.Time)))
            {
                duplicates++;
                continue;
            }

            if (!byPatient.TryGetValue(patient!, out var list))
            {
                list = [];
                byPatient[patient!] = list;
            }

            list.Add(reading.Value);
        }

        if (labels is not null)
        {
            var unlabelled = byPatient.Keys.Where(p => !labels.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
            var withoutReadings = labels.Keys.Where(p => !byPatient.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
            if (unlabelled.Count > 0 || withoutReadings.Count > 0)
            {
                throw new CliException(string.Join("; ", new[]
                {
                    unlabelled.Count > 0 ? $"labels.json has no label for {Some(unlabelled)}" : null,
                    withoutReadings.Count > 0 ? $"labels.json labels {Some(withoutReadings)}, who have no accepted readings" : null,
                }.OfType<string>()));
            }
        }

        return new EvaluationDataset
        {
            // A stable sort: readings of the same instant keep the order they were written in.
            Readings = byPatient.ToDictionary(p => p.Key, p => (IReadOnlyList<RuleReading>)[.. p.Value.OrderBy(r => r.Time)], StringComparer.Ordinal),
            Settings = settings,
            Labels = labels,
            RefusedLines = refused,
            RefusalExamplesSeen = examples,
            Devices = seen.Select(s => s.Device).ToHashSet(StringComparer.Ordinal),
            Duplicates = duplicates,
        };
    }

    /// <summary>One line: its patient and device, and the reading as the live server's validation leaves it, or why it was refused.</summary>
    private static (string? Patient, string? Device, RuleReading? Reading, string? Problem) Parse(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        string? patient;
        string? device;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null, "not a JSON object");
            }

            patient = Text(document.RootElement, "patient");
            device = Text(document.RootElement, "device") ?? patient;
        }
        catch (JsonException e)
        {
            return (null, null, null, $"not valid JSON: {e.Message}");
        }

        if (string.IsNullOrEmpty(patient))
        {
            return (null, null, null, "\"patient\" is missing");
        }

        var decoded = DeviceJsonFormat.Decode(bytes);
        if (decoded.Problem is not null || decoded.Items is not [{ Submission: { } submission }])
        {
            return (null, null, null, decoded.Problem ?? decoded.Items.FirstOrDefault()?.Problem ?? "not one reading");
        }

        // The live server compares a reading's time with its own clock; a replay has no "now" but the reading's own.
        var check = ReadingValidator.Check(submission, device!, submission.Time ?? DateTimeOffset.MinValue, patient);
        if (check.Reading is not { } accepted)
        {
            return (null, null, null, check.Problem);
        }

        return (patient, device, new RuleReading(accepted.Vital, accepted.Value, accepted.Components, accepted.DeviceTime, device), null);
    }

    private static string Some(List<string> patients) =>
        string.Join(", ", patients.Take(5)) + (patients.Count > 5 ? $" and {patients.Count - 5} more" : "");

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String ? member.GetString() : null;

    private static T? ReadOptional<T>(string path) where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new CliException($"{Path.GetFileName(path)} is empty (null)");
        }
        catch (JsonException e)
        {
            throw new CliException($"{Path.GetFileName(path)} is not in the documented form: {e.Message}");
        }
    }
}
