using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward hl7-senders add|list|change|revoke</c>: the interface engines and gateways allowed to
/// send HL7 v2 over MLLP, each with its client certificate and the devices or care teams it speaks for.
/// </summary>
public static class Hl7SendersCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The sender's name, e.g. ward7-interface-engine" };
        var pem = new Option<FileInfo?>("--certificate") { Description = "Its client certificate (PEM), presented on the MLLP TLS port; left out: only for the loopback port" };
        var devices = new Option<string[]>("--device") { Description = "A device whose readings it may submit (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var teams = new Option<string[]>("--care-team") { Description = "A care team id for whose patients it may submit readings (repeat for more)", AllowMultipleArgumentsPerToken = true };

        var add = new Command("add", "Register an HL7 sender") { name, pem, devices, teams };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, async api => await api.PostAsync("/api/v1/hl7-senders", new
        {
            name = parse.GetValue(name),
            certificatePem = await ReadPemAsync(parse.GetValue(pem), ct),
            devices = parse.GetValue(devices) ?? [],
            careTeams = parse.GetValue(teams) ?? [],
        }, ct)));

        var noCertificate = new Option<bool>("--no-certificate") { Description = "Remove its certificate pin: it may then speak on the loopback port only" };
        var change = new Command("change", "Change a sender's certificate or what it may submit for; what is not given is kept") { name, pem, noCertificate, devices, teams };
        change.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, async api => await api.PatchAsync(SenderPath(parse.GetValue(name)!), new
        {
            certificatePem = parse.GetValue(noCertificate) ? "" : await ReadPemAsync(parse.GetValue(pem), ct),
            devices = parse.GetValue(devices) is { Length: > 0 } named ? named : null,
            careTeams = parse.GetValue(teams) is { Length: > 0 } namedTeams ? namedTeams : null,
        }, ct)));

        var list = new Command("list", "List HL7 senders, revoked ones included");
        list.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync("/api/v1/hl7-senders", ct)));

        var revoke = new Command("revoke", "Revoke a sender: its connections are refused from their next message on") { name };
        revoke.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync(SenderPath(parse.GetValue(name)!) + "/revoke", null, ct)));

        return new Command("hl7-senders", "Systems allowed to send HL7 v2 over MLLP") { add, list, change, revoke };
    }

    private static string SenderPath(string name) => $"/api/v1/hl7-senders/{Uri.EscapeDataString(name)}";

    private static async Task<string?> ReadPemAsync(FileInfo? file, CancellationToken cancellationToken) =>
        file is null ? null : await File.ReadAllTextAsync(file.FullName, cancellationToken);
}
