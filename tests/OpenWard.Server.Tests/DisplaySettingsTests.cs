using System.Net.Http.Json;
using System.Text.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary><c>GET /api/v1/display</c>: the unit blood glucose is shown in, mmol/L unless the deployment chooses mg/dL.</summary>
public sealed class DisplaySettingsTests(RunningServer server, DisplaySettingsTests.MilligramsServer milligrams)
    : IClassFixture<RunningServer>, IClassFixture<DisplaySettingsTests.MilligramsServer>
{
    /// <summary>A server set up as in the United States: blood glucose in mg/dL.</summary>
    public sealed class MilligramsServer : RunningServer
    {
        /// <inheritdoc/>
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:Display:GlucoseUnit=mg/dL"];
    }

    [Fact]
    public async Task GlucoseIsShownInMillimolesPerLitre_UnlessTheDeploymentChoosesMilligramsPerDecilitre()
    {
        var byDefault = await server.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/display", TestContext.Current.CancellationToken);
        var chosen = await milligrams.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/display", TestContext.Current.CancellationToken);

        Assert.Equal("mmol/L", byDefault.GetProperty("glucoseUnit").GetString());
        Assert.Equal("mg/dL", chosen.GetProperty("glucoseUnit").GetString());
    }
}
