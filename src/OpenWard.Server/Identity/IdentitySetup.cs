using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Validation;
using OpenIddict.Validation.AspNetCore;
using OpenWard.Server.Access;
using OpenWard.Server.Hosting;
using OpenWard.Server.People;
using OpenWard.Server.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenWard.Server.Identity;

/// <summary>
/// OpenWard's own OAuth 2 / OpenID Connect server (OpenIddict): client-credentials tokens for API
/// clients; authorization code with PKCE and refresh tokens for people signing in through the
/// console; tokens validated locally on every API call; the sign-in page, API clients and the
/// administrators' key rotation. People and access to patients register themselves (People/, Access/).
/// </summary>
public static class IdentitySetup
{
    /// <summary>Registers the token server, token validation, the sign-in cookie and its rate limits, and API clients.</summary>
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        var signIn = ValidatedOptions.Read<SignInOptions>(builder.Configuration, SignInOptions.Section);
        var dataPath = DataDirectory.Ensure(OpenWardOptions.From(builder.Configuration).DataDirectory);

        // ASP.NET Core's data-protection keys (the sign-in cookie's, the anti-forgery tokens') are in the
        // store, sealed by the key-encryption key, so that every node accepts the others' cookies.
        builder.Services.AddDataProtection().SetApplicationName("OpenWard");
        builder.Services.AddSingleton<DataProtectionKeyRing>();
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<DataProtectionKeyRing>((options, ring) => options.XmlRepository = ring);

        // The token keys are in the clinical store; OpenIddict's tables too when that is PostgreSQL
        // (shared by every node), else a SQLite file of their own.
        var store = ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section);
        builder.Services.AddFeatureSchema(IdentitySchema.Definition);

        builder.Services.AddDbContext<IdentityStore>((services, options) =>
        {
            if (store.IsPostgreSql)
            {
                // The clinical store's writable connections: one pool, cleared at once when PostgreSQL is lost.
                options.UseNpgsql(services.GetRequiredService<PostgreSqlClinicalDatabase>().Writable);
            }
            else
            {
                options.UseSqlite($"Data Source={Path.Combine(dataPath, "identity.db")}");
            }

            options.UseOpenIddict();
        });

        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<IdentityStore>())
            .AddServer(options =>
            {
                options.SetTokenEndpointUris("connect/token");
                options.SetAuthorizationEndpointUris("connect/authorize");
                if (signIn.Issuer is { Length: > 0 } issuer)
                {
                    options.SetIssuer(new Uri(issuer));
                }

                options.AllowClientCredentialsFlow();
                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                // PKCE with S256 only: "plain" (and a request naming no method, which means plain) would
                // let whoever sees the authorization request redeem the code.
                options.Configure(server =>
                {
                    server.CodeChallengeMethods.Clear();
                    server.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
                });
                options.AllowRefreshTokenFlow();
                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Roles, Scopes.OfflineAccess);
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(30));
                // A fixed end: a refresh token issued by refreshing expires when the first one would have.
                options.SetRefreshTokenLifetime(signIn.SessionLifetime);
                options.DisableSlidingRefreshTokenExpiration();
                // The signing and encryption keys come from the store (TokenKeyConfiguration).
                options.UseUniformClientErrors();
                options.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableAuthorizationEndpointPassthrough()
                    // The API's default listener is loopback HTTP; HTTPS listeners are added with --urls.
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                // Every token is checked against its stored entry, so revoking a client or disabling a person takes effect at once.
                options.EnableTokenEntryValidation();
                options.UseAspNetCore();
            });

        AddTokenKeys(builder.Services);
        var authentication = builder.Services.AddAuthentication().AddSignInCookie(signIn.SessionLifetime);
        var bearer = authentication.AddExternalIdentity(signIn.External);
        builder.Services.Configure<Microsoft.AspNetCore.Authentication.AuthenticationOptions>(options => options.DefaultScheme = bearer);
        builder.AddSignInRateLimits();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "openward-antiforgery";
            // Secure over HTTPS, like the sign-in cookie (loopback HTTP keeps working for local use).
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddScoped<ApiClients>();
        builder.Services.AddScoped<PersonSessions>();
        builder.Services.AddScoped<IPersonSessions>(services => services.GetRequiredService<PersonSessions>());
        return builder;
    }

    /// <summary>
    /// Reads the token keys from the store (making them on the first start), makes the first
    /// data-protection key if the store has none (moving an older OpenWard's key files in), creates the identity
    /// database (on SQLite; on PostgreSQL its tables came with the store's migrations) and, on the
    /// first start, the administrator client.
    /// </summary>
    public static async Task PrepareIdentityAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        var tokenKeys = await app.Services.GetRequiredService<TokenKeyStore>().PrepareAsync(cancellationToken);
        app.Services.GetRequiredService<TokenKeyRing>().Use(tokenKeys);
        await app.Services.GetRequiredService<DataProtectionKeyRing>().PrepareAsync(
            app.Services.GetRequiredService<IKeyManager>(), app.Services.GetRequiredService<IOptions<KeyManagementOptions>>(), cancellationToken);
        await using var scope = app.Services.CreateAsyncScope();
        var dataPath = scope.ServiceProvider.GetRequiredService<IOptions<OpenWardOptions>>().Value.DataPath;
        if (!scope.ServiceProvider.GetRequiredService<IOptions<StoreOptions>>().Value.IsPostgreSql)
        {
            await scope.ServiceProvider.GetRequiredService<IdentityStore>().Database.EnsureCreatedAsync(cancellationToken);
            DataDirectory.RestrictDatabase(Path.Combine(dataPath, "identity.db"));
        }

        var database = scope.ServiceProvider.GetRequiredService<ClinicalDatabase>();
        await BootstrapCredentials.EnsureAsync(scope.ServiceProvider.GetRequiredService<ApiClients>(), database, dataPath,
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapCredentials)), cancellationToken);
        var signIn = scope.ServiceProvider.GetRequiredService<IOptions<SignInOptions>>().Value;
        await ConsoleClient.EnsureAsync(scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>(), database,
            [.. ConsoleClient.CallbackUris(app.Configuration), .. signIn.ConsoleRedirectUris], cancellationToken);
    }

    // The token keys live in the store; OpenIddict's options are built from them, and built again when
    // they change. Registered after OpenIddict's server, whose own post-configuration this one follows.
    private static void AddTokenKeys(IServiceCollection services)
    {
        services.AddSingleton<TokenKeyStore>();
        services.AddSingleton<TokenKeyRing>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, TokenKeyConfiguration>();
        services.AddSingleton<IPostConfigureOptions<OpenIddictServerOptions>, TokenKeyConfiguration>();
        services.AddSingleton<IConfigureOptions<OpenIddictValidationOptions>, TokenKeyConfiguration>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>, TokenKeyChanges<OpenIddictServerOptions>>();
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>, TokenKeyChanges<OpenIddictValidationOptions>>();
        services.AddHostedService<TokenKeyRefresh>();
    }

    /// <summary>Maps the sign-in page, the authorization and token endpoints, the API clients, and the key rotation endpoints.</summary>
    public static WebApplication MapIdentity(this WebApplication app)
    {
        app.MapSignInPage();
        app.MapAuthorizeEndpoint();
        app.MapTokenEndpoint();
        app.MapClientsApi();
        app.MapEncryptionApi();
        app.MapTokenKeysApi();
        return app;
    }
}
