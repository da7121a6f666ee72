namespace OpenWard.Cli.Evaluate;

/// <summary>One replayed patient: the label, how many days of data, and the alerts each rule engine raised.</summary>
public sealed record ReplayedPatient(
    string Id, PatientLabel? Label, double Days, IReadOnlyDictionary<string, IReadOnlyList<ReplayedAlert>> AlertsByEngine);
