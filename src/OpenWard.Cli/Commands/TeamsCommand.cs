using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward teams add|list|add-member|remove-member</c>: care teams and who is on them.</summary>
public static class TeamsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "e.g. \"Cardiology virtual ward\"" };
        var add = new Command("add", "Create a care team") { name };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/care-teams", new { name = parse.GetValue(name) }, ct)));

        var list = new Command("list", "List care teams with their members and patient counts");
        list.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync("/api/v1/care-teams", ct)));

        var team = new Argument<string>("TEAM_ID");
        var user = new Argument<string>("USER_ID");
        var addMember = new Command("add-member", "Put a clinician, nurse or administrator on a team") { team, user };
        addMember.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PutAsync(MemberPath(parse.GetValue(team)!, parse.GetValue(user)!), null, ct)));
        var removeMember = new Command("remove-member", "Take someone off a team") { team, user };
        removeMember.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.DeleteAsync(MemberPath(parse.GetValue(team)!, parse.GetValue(user)!), ct)));

        return new Command("teams", "Care teams (wards): their members see their patients") { add, list, addMember, removeMember };
    }

    private static string MemberPath(string team, string user) =>
        $"/api/v1/care-teams/{Uri.EscapeDataString(team)}/members/{Uri.EscapeDataString(user)}";
}
