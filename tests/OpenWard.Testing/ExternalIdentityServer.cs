namespace OpenWard.Testing;

/// <summary>An OpenWard server that also accepts tokens from an <see cref="ExternalIdentityProvider"/>.</summary>
public sealed class ExternalIdentityServer : RunningServer
{
    public ExternalIdentityProvider Provider { get; } = new();

    protected override IEnumerable<string> ExtraArguments =>
    [
        $"--OpenWard:SignIn:External:Authority={Provider.Issuer.ToString().TrimEnd('/')}",
        $"--OpenWard:SignIn:External:Audience={ExternalIdentityProvider.Audience}",
        "--OpenWard:SignIn:External:RequireHttpsMetadata=false",
    ];

    public override async ValueTask InitializeAsync()
    {
        await Provider.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
