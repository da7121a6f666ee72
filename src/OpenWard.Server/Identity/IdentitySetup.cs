using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
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

        // ASP.NET Core's data-protection keys live beside the other keys, not in the service account's home.
        builder.Services.AddDataProtection()
            .SetApplicationName("OpenWard")
            .PersistKeysToFileSystem(new DirectoryInfo(DataDirectory.Ensure(Path.Combine(dataPath, "data-protection-keys"))));

        // In the clinical store when that is PostgreSQL (shared by every node); else a SQLite file of its own.
        var store = ValidatedOptions.Read<StoreOptions>(builder.Configuration, StoreOptions.Section);
        if (store.IsPostgreSql)
        {
            builder.Services.AddFeatureSchema(IdentitySchema.Definition);
        }

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
                foreach (var signingKey in TokenKeys.LoadSigningKeys(dataPath, signIn.SigningKeyDays, TimeProvider.System))
                {
                    options.AddSigningKey(signingKey);
                }

                options.AddEncryptionKey(TokenKeys.LoadEncryptionKey(dataPath));
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
    /// Creates the identity database (on SQLite; on PostgreSQL its tables came with the store's
    /// migrations) and, on the first start, the administrator client.
    /// </summary>
    public static async Task PrepareIdentityAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var dataPath = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<OpenWardOptions>>().Value.DataPath;
        if (!scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StoreOptions>>().Value.IsPostgreSql)
        {
            await scope.ServiceProvider.GetRequiredService<IdentityStore>().Database.EnsureCreatedAsync(cancellationToken);
            DataDirectory.RestrictDatabase(Path.Combine(dataPath, "identity.db"));
        }

        await BootstrapCredentials.EnsureAsync(scope.ServiceProvider.GetRequiredService<ApiClients>(), dataPath, cancellationToken);
        var signIn = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SignInOptions>>().Value;
        await ConsoleClient.EnsureAsync(scope.ServiceProvider.GetRequiredService<OpenIddict.Abstractions.IOpenIddictApplicationManager>(),
            [.. ConsoleClient.CallbackUris(app.Configuration), .. signIn.ConsoleRedirectUris], cancellationToken);
    }

    /// <summary>Maps the sign-in page, the authorization and token endpoints, and the API clients and key rotation endpoints.</summary>
    public static WebApplication MapIdentity(this WebApplication app)
    {
        app.MapSignInPage();
        app.MapAuthorizeEndpoint();
        app.MapTokenEndpoint();
        app.MapClientsApi();
        app.MapEncryptionApi();
        return app;
    }
}
