namespace OpenWard.Cli.Tests;

public sealed class DecodeTests
{
    [Fact]
    public async Task Gatt_BloodPressureHex_PrintsOneReadingPerLine()
    {
        var outcome = await CliProcess.RunAsync("decode", "--format", "gatt", "--characteristic", "2A35", "--hex", "1E 8000 5200 6100 EA07 0B 14 08 1E 00 4600 01 0000");

        Assert.Equal(0, outcome.ExitCode);
        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"vital\":\"blood-pressure\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"systolic\":128", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"loinc\":\"85354-9\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"time\":\"2026-11-20T08:30:00+00:00\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"vital\":\"heart-rate\"", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gatt_Truncated_PrintsTheDecodeErrorAndFails()
    {
        var outcome = await CliProcess.RunAsync("decode", "--format", "gatt", "--characteristic", "0x2A35", "--hex", "02 8000");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("characteristic value is shorter than its flags say", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }

    [Theory]
    [InlineData("""[{"vital":"heart-rate","time":"2026-11-20T08:30:00Z","value":72,"unit":"bpm"}]""", "unit \"bpm\" is not accepted for heart-rate")]
    [InlineData("""{"foo":1}""", "\"vital\" is missing")]
    [InlineData("""[{"vital":"spo2","time":"2026-11-20T08:30:00Z","value":140,"unit":"%"}]""", "reading 0")]
    [InlineData("[]", "payload is an empty array")]
    public async Task Json_TheServerWouldRefuse_IsRefusedWithItsReason(string json, string reason)
    {
        var file = Path.Combine(Path.GetTempPath(), $"readings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        try
        {
            var outcome = await CliProcess.RunAsync("decode", "--format", "json", file);

            Assert.Equal(1, outcome.ExitCode);
            Assert.Contains(reason, outcome.Error, StringComparison.Ordinal);
            Assert.Equal("", outcome.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Json_ABatchWithOneBadReading_PrintsTheGoodOne_NamesTheBadOne_AndFails()
    {
        var file = Path.Combine(Path.GetTempPath(), $"readings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file,
            """[{"vital":"heart-rate","time":"2026-11-20T08:30:00Z","value":72,"unit":"/min"},{"vital":"heart-rate","time":"2026-11-20T08:31:00Z","value":72,"unit":"bpm"}]""",
            TestContext.Current.CancellationToken);
        try
        {
            var outcome = await CliProcess.RunAsync("decode", "--format", "json", file);

            Assert.Equal(1, outcome.ExitCode);
            Assert.Contains("\"loinc\":\"8867-4\"", Assert.Single(outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
            Assert.Contains("reading 1: unit \"bpm\"", outcome.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Hl7_Oru_PrintsReadingsWithTheirDevice()
    {
        var file = Path.Combine(Path.GetTempPath(), $"oru-{Guid.NewGuid():N}.hl7");
        await File.WriteAllTextAsync(file,
            "MSH|^~\\&|MON|ICU|OW|OW|20261120083000+0000||ORU^R01|7|P|2.6\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%^%^UCUM|||||R|||20261120083000+0000||||mon-1\r",
            TestContext.Current.CancellationToken);
        try
        {
            var outcome = await CliProcess.RunAsync("decode", "--format", "hl7", file);

            Assert.Equal(0, outcome.ExitCode);
            var line = Assert.Single(outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("\"vital\":\"spo2\"", line, StringComparison.Ordinal);
            Assert.Contains("\"deviceId\":\"mon-1\"", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Fhir_BloodPressureObservation_PrintsTheReading()
    {
        var file = Path.Combine(Path.GetTempPath(), $"obs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            {"resourceType":"Observation","status":"final",
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
             "device":{"reference":"Device/cuff-9"},"effectiveDateTime":"2026-11-20T08:30:00Z",
             "component":[
               {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":118,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
               {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":76,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}
            """, TestContext.Current.CancellationToken);
        try
        {
            var outcome = await CliProcess.RunAsync("decode", "--format", "fhir", file);

            Assert.True(outcome.ExitCode == 0, outcome.Error);
            var line = Assert.Single(outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("\"components\":{\"systolic\":118,\"diastolic\":76}", line, StringComparison.Ordinal);
            Assert.Contains("\"deviceId\":\"cuff-9\"", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private const string VendorScaleMapping = """
        {"templateType": "CollectionContent", "template": [{"templateType": "CalculatedContent", "template": {
          "typeName": "weight", "typeMatchExpression": "$..[?(@weightLb)]",
          "deviceIdExpression": "$.matchedToken.serial",
          "timestampExpression": {"value": "fromUnixTimestampMs(matchedToken.takenMs)", "language": "JmesPath"},
          "values": [{"valueName": "lb", "required": true, "valueExpression": "$.matchedToken.weightLb"}]}}]}
        """;

    private const string VendorScaleFhirMapping = """
        {"templateType": "CollectionFhir", "template": [{"templateType": "CodeValueFhir", "template": {
          "typeName": "weight", "codes": [{"code": "29463-7", "system": "http://loinc.org", "display": "Body weight"}],
          "value": {"valueName": "lb", "valueType": "Quantity", "unit": "[lb_av]"}}}]}
        """;

    private const string VendorScaleMessage = """{"readings": [{"serial": "SC-1", "takenMs": 1795420800000, "weightLb": 154.3}, {"serial": "SC-1", "weightLb": 155}]}""";

    [Fact]
    public async Task Template_PrintsNormalizedMeasurements_AndTheUnusablePart()
    {
        var outcome = await RunWithFilesAsync(["--format", "template"], VendorScaleMapping, null, VendorScaleMessage);

        Assert.Equal(1, outcome.ExitCode);
        var line = Assert.Single(outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            """{"type":"weight","occurrenceTimeUtc":"2026-11-23T08:00:00+00:00","deviceId":"SC-1","patientId":null,"properties":[{"name":"lb","value":"154.3"}]}""",
            line);
        Assert.Contains("weight: no timestamp", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_WithFhirMapping_PrintsReadingsInKilograms()
    {
        var outcome = await RunWithFilesAsync(["--format", "template"], VendorScaleMapping, VendorScaleFhirMapping, """{"serial": "SC-1", "takenMs": 1795420800000, "weightLb": 154.3}""");

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var line = Assert.Single(outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"vital\":\"body-weight\"", line, StringComparison.Ordinal);
        Assert.Contains("\"value\":69.98", line, StringComparison.Ordinal);
        Assert.Contains("\"unit\":\"kg\"", line, StringComparison.Ordinal);
        Assert.Contains("\"loinc\":\"29463-7\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_WithErrors_ListsEveryErrorWithItsLine()
    {
        var outcome = await RunWithFilesAsync(["--format", "template"], """
            {"templateType": "CollectionContent", "template": [
              {"templateType": "JsonPathContent", "template": {"typeName": "a"}},
              {"templateType": "JsonPathContent", "template": {"typeMatchExpression": "$..[?(@x)]", "deviceIdExpression": "$.d", "timestampExpression": "$.t"}}]}
            """, null, "{}");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("line 2", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("line 3", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("\"typeMatchExpression\" is required", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("\"typeName\" is required", outcome.Error, StringComparison.Ordinal);
    }

    private static async Task<CliProcess.Outcome> RunWithFilesAsync(string[] args, string template, string? fhirMapping, string message)
    {
        var folder = Directory.CreateTempSubdirectory("openward-decode-");
        try
        {
            var templateFile = Path.Combine(folder.FullName, "device-mapping.json");
            var messageFile = Path.Combine(folder.FullName, "message.json");
            await File.WriteAllTextAsync(templateFile, template, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(messageFile, message, TestContext.Current.CancellationToken);
            List<string> all = ["decode", .. args, "--template", templateFile];
            if (fhirMapping is not null)
            {
                var fhirFile = Path.Combine(folder.FullName, "fhir-mapping.json");
                await File.WriteAllTextAsync(fhirFile, fhirMapping, TestContext.Current.CancellationToken);
                all.AddRange(["--fhir-mapping", fhirFile]);
            }

            all.Add(messageFile);
            return await CliProcess.RunAsync([.. all]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
