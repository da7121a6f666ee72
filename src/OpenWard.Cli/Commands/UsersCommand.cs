using System.CommandLine;
using System.Security.Cryptography;

namespace OpenWard.Cli.Commands;

/// <summary>
/// <c>openward users add|list|unlock|disable</c>: the accounts people sign in with. A new account
/// gets a random first password, printed once, which the person changes after signing in.
/// </summary>
public static class UsersCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var userName = new Option<string>("--user-name") { Description = "The name they sign in with", Required = true };
        var displayName = new Option<string>("--display-name") { Description = "The name colleagues see", Required = true };
        var role = new Option<string>("--role") { Description = "administrator, clinician, nurse or patient", Required = true };
        var patient = new Option<string?>("--patient") { Description = "For a patient's own account: the patient they are" };
        var add = new Command("add", "Create an account; its first password is printed once") { userName, displayName, role, patient };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, async api =>
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');
            var created = await api.PostAsync("/api/v1/users", new
            {
                userName = parse.GetValue(userName),
                displayName = parse.GetValue(displayName),
                role = parse.GetValue(role),
                password,
                patientId = parse.GetValue(patient),
            }, ct);
            return System.Text.Json.JsonSerializer.SerializeToElement(new
            {
                id = created.GetProperty("id").GetString(),
                userName = created.GetProperty("userName").GetString(),
                role = created.GetProperty("role").GetString(),
                firstPassword = password,
            });
        }));

        var list = new Command("list", "List accounts");
        list.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync("/api/v1/users", ct)));

        var user = new Argument<string>("USER_ID");
        var unlock = new Command("unlock", "Lift a lockout after failed sign-ins") { user };
        unlock.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync($"/api/v1/users/{Uri.EscapeDataString(parse.GetValue(user)!)}/unlock", null, ct)));
        var disable = new Command("disable", "Disable an account and revoke its tokens at once") { user };
        disable.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync($"/api/v1/users/{Uri.EscapeDataString(parse.GetValue(user)!)}/disable", null, ct)));

        return new Command("users", "People who sign in") { add, list, unlock, disable };
    }
}
