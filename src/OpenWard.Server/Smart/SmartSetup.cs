using OpenWard.Server.Storage;

namespace OpenWard.Server.Smart;

/// <summary>
/// SMART Backend Services: record systems and other backend services sign a client assertion with a key they
/// registered (<c>openward clients add NAME --jwks FILE</c>) and receive a token whose <c>system/</c> scopes say
/// what they may read through the FHIR API. OpenIddict checks the assertion's signature, issuer and subject;
/// this feature adds what SMART asks beyond that (<see cref="ClientAssertionClaims"/>, <see cref="ClientAssertionReplay"/>),
/// reads the scopes (<see cref="SmartScopeRequest"/>), publishes <c>/.well-known/smart-configuration</c> and keeps
/// scoped tokens to <c>/fhir</c> (<see cref="SmartScopeBoundary"/>).
/// </summary>
public static class SmartSetup
{
    /// <summary>Registers the assertion checks, the scope reading and the table of used assertions.</summary>
    public static WebApplicationBuilder AddSmartBackendServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(SmartSchema.Definition);
        builder.Services.AddSingleton<UsedClientAssertions>();
        builder.Services.AddOpenIddict().AddServer(server => server
            .AddEventHandler(ClientAssertionClaims.Descriptor)
            .AddEventHandler(ClientAssertionType.Descriptor)
            .AddEventHandler(ClientAssertionPrincipalType.Descriptor)
            .AddEventHandler(ClientAssertionReplay.Descriptor)
            .AddEventHandler(SmartScopeRequest.Descriptor));
        return builder;
    }

    /// <summary>Maps the SMART configuration document.</summary>
    public static WebApplication MapSmartBackendServices(this WebApplication app)
    {
        app.MapSmartConfiguration();
        return app;
    }
}
