using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward patients add|list</c>.</summary>
public static class PatientsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The patient's name", Required = true };
        var mrn = new Option<string?>("--mrn") { Description = "The hospital's medical record number (HL7 v2 PID-3 is checked against it)" };
        var add = new Command("add", "Add a patient") { name, mrn };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/patients",
            new { name = parse.GetValue(name), mrn = parse.GetValue(mrn) }, ct)));

        var list = new Command("list", "List patients");
        list.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync("/api/v1/patients", ct)));

        return new Command("patients", "Patients under monitoring") { add, list };
    }
}
