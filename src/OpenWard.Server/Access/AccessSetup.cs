using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Access;

/// <summary>Registers who may do what: the access policies, access to a patient by relationship, and break-glass with its table and endpoints.</summary>
public static class AccessSetup
{
    /// <summary>Adds the policies, patient access and the break-glass register (<c>OpenWard:SignIn:BreakGlassMinutes</c>).</summary>
    public static WebApplicationBuilder AddPatientAccess(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthorization(AccessPolicies.Configure);
        builder.Services.AddSingleton<PatientAccess>();
        builder.AddValidatedOptions<BreakGlassOptions>(BreakGlassOptions.Section);
        builder.Services.AddFeatureSchema(BreakGlassSchema.Definition);
        builder.Services.AddSingleton<BreakGlassRegister>();
        return builder;
    }

    /// <summary>Maps the break-glass endpoints.</summary>
    public static WebApplication MapPatientAccess(this WebApplication app)
    {
        app.MapBreakGlassApi();
        return app;
    }
}
