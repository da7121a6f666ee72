using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward patients add|list|move</c>.</summary>
public static class PatientsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "The patient's name", Required = true };
        var mrn = new Option<string?>("--mrn") { Description = "The hospital's medical record number (HL7 v2 PID-3 is checked against it)" };
        var team = new Option<string?>("--team") { Description = "The care team (ward) that looks after the patient" };
        var add = new Command("add", "Add a patient") { name, mrn, team };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/patients",
            new { name = parse.GetValue(name), mrn = parse.GetValue(mrn), careTeamId = parse.GetValue(team) }, ct)));

        var patient = new Argument<string>("PATIENT_ID");
        var toTeam = new Option<string?>("--team") { Description = "The care team to move the patient to (left out: off every team)" };
        var move = new Command("move", "Move a patient to another care team") { patient, toTeam };
        move.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PutAsync(
            $"/api/v1/patients/{Uri.EscapeDataString(parse.GetValue(patient)!)}/care-team", new { careTeamId = parse.GetValue(toTeam) }, ct)));

        var list = new Command("list", "List patients");
        list.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync("/api/v1/patients", ct)));

        return new Command("patients", "Patients under monitoring") { add, list, move };
    }
}
