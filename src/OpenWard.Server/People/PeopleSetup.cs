using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.People;

/// <summary>Registers the people who sign in: their accounts and sign-in settings (<c>OpenWard:SignIn</c>), care teams, portal accounts, and their endpoints.</summary>
public static class PeopleSetup
{
    /// <summary>Adds the people's table, the user directory and the care teams.</summary>
    public static WebApplicationBuilder AddPeople(this WebApplicationBuilder builder)
    {
        builder.AddValidatedOptions<SignInOptions>(SignInOptions.Section);
        builder.Services.AddFeatureSchema(PeopleSchema.Definition);
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<CareTeams>();
        return builder;
    }

    /// <summary>Maps the endpoints for people: their own account, user administration, portal accounts and care teams.</summary>
    public static WebApplication MapPeople(this WebApplication app)
    {
        app.MapMeApi();
        app.MapUsersApi();
        app.MapPortalAccountsApi();
        app.MapCareTeamsApi();
        return app;
    }
}
