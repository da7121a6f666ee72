using MQTTnet;
using OpenWard.Tests.Shared;
using OpenWard.Testing;

namespace OpenWard.Cli.Tests;

/// <summary><c>openward models set-mapping</c> with the documented home-hub example, end to end.</summary>
public sealed class ModelMappingTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static readonly string Example = Path.Combine(RepositoryFolders.Root, "docs", "examples", "home-hub");

    private Task<CliProcess.Outcome> Openward(params string[] args) =>
        CliProcess.RunAsync([.. args, "--server", server.BaseAddress.ToString(), "--data", server.DataDirectory]);

    [Fact]
    public async Task DocumentedExample_IsStored_AndAHubMessageBecomesReadings()
    {
        var set = await Openward("models", "set-mapping", "Home Hub 7731",
            "--device-mapping", Path.Combine(Example, "device-mapping.json"), "--fhir-mapping", Path.Combine(Example, "fhir-mapping.json"));

        Assert.True(set.ExitCode == 0, set.Error);
        Assert.Equal("body-weight", set.Json.GetProperty("types").GetProperty("weight").GetString());
        Assert.Equal("heart-rate", set.Json.GetProperty("types").GetProperty("pulse").GetString());

        var patient = await server.AddPatientAsync();
        var (hubId, secret) = await server.RegisterDeviceAsync("hub", model: "Home Hub 7731");
        await server.AssignAsync(hubId, patient, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using (var hub = await server.ConnectDeviceAsync(hubId, secret))
        {
            var result = await hub.PublishReadingsAsync($"devices/{hubId}/messages", await File.ReadAllTextAsync(Path.Combine(Example, "message.json"), TestContext.Current.CancellationToken));
            Assert.Equal(MqttClientPublishReasonCode.Success, result.ReasonCode);
        }

        var latest = (await server.GetJsonAsync($"/api/v1/patients/{patient}/latest")).EnumerateArray().ToDictionary(r => r.GetProperty("vital").GetString()!);
        Assert.Equal(77.655, latest["body-weight"].GetProperty("value").GetDouble(), 3);
        Assert.Equal(132, latest["blood-pressure"].GetProperty("components").GetProperty("systolic").GetDouble());
        Assert.Equal(71, latest["heart-rate"].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task BrokenTemplate_IsReportedWithTheFilesLines_AndNothingIsStored()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(broken, """
            {
              "templateType": "CollectionFhir",
              "template": [
                { "templateType": "CodeValueFhir",
                  "template": { "typeName": "weight", "codes": [ { "code": "29463-7" } ],
                                "value": { "valueName": "lb", "valueType": "Quantity", "unit": "mmHg" } } }
              ]
            }
            """, TestContext.Current.CancellationToken);
        try
        {
            var set = await Openward("models", "set-mapping", "Broken Hub",
                "--device-mapping", Path.Combine(Example, "device-mapping.json"), "--fhir-mapping", broken);

            Assert.Equal(1, set.ExitCode);
            Assert.Contains("line 6", set.Error, StringComparison.Ordinal);
            Assert.Contains("is not a unit of body weight", set.Error, StringComparison.Ordinal);
            var show = await Openward("models", "show-mapping", "Broken Hub");
            Assert.Equal(1, show.ExitCode);
            Assert.Contains("404", show.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }
}
