using System.Net;
using System.Text.Json;
using OpenWard.Testing;
using OpenWard.Tests.Shared.Fhir;

namespace OpenWard.Server.Tests;

/// <summary>
/// Observation search with FHIR's semantics — code and category tokens, date prefixes and ranges,
/// sorting, keyset paging that stays right while readings keep arriving, <c>$lastn</c> — and every
/// unknown or malformed parameter refused with 400 and an OperationOutcome.
/// </summary>
public sealed class FhirObservationSearchTests(RunningServer server) : IClassFixture<RunningServer>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Code_AsSystemAndCode_OrCodeAlone_OrMdc_FindsThatSignOnly()
    {
        var patientId = await WardAsync();

        Assert.Equal(3, (await SearchAsync($"patient={patientId}&code=http://loinc.org|8867-4")).Count);
        Assert.Equal(3, (await SearchAsync($"patient={patientId}&code=8867-4")).Count);
        Assert.Equal(3, (await SearchAsync($"patient={patientId}&code=urn:iso:std:iso:11073:10101|147842")).Count);
        Assert.Equal(4, (await SearchAsync($"patient={patientId}&code=8867-4,2708-6")).Count);
        Assert.Empty(await SearchAsync($"patient={patientId}&code=http://snomed.info/sct|8867-4"));
        Assert.All(await SearchAsync($"patient={patientId}&code=http://loinc.org|8867-4"), o => Assert.Equal("8867-4", o.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Category_VitalSigns_LeavesOutStepsAndEvents_WhichHaveTheirOwn()
    {
        var patientId = await WardAsync();

        Assert.Equal(4, (await SearchAsync($"patient={patientId}&category=vital-signs")).Count);
        Assert.Single(await SearchAsync($"patient={patientId}&category=http://terminology.hl7.org/CodeSystem/observation-category|activity"));
        Assert.Single(await SearchAsync($"patient={patientId}&category=urn:openward:observation-category|device-event"));
        Assert.Empty(await SearchAsync($"patient={patientId}&category=activity&code=8867-4"));
    }

    [Fact]
    public async Task Date_WithPrefixes_RepeatedForARange_AndAtAnyPrecision()
    {
        var patientId = await WardAsync();
        var heartRates = $"patient={patientId}&code=8867-4";

        Assert.Equal(2, (await SearchAsync($"{heartRates}&date=ge2026-11-30T22:01:00Z")).Count);
        Assert.Single(await SearchAsync($"{heartRates}&date=gt2026-11-30T22:01:00Z"));
        Assert.Single(await SearchAsync($"{heartRates}&date=ge2026-11-30T22:01:00Z&date=lt2026-11-30T22:02:00Z"));
        Assert.Equal(2, (await SearchAsync($"{heartRates}&date=le2026-11-30T22:01:00Z")).Count);
        Assert.Single(await SearchAsync($"{heartRates}&date=lt2026-11-30T22:01:00Z"));
        Assert.Single(await SearchAsync($"{heartRates}&date=2026-11-30T22:01Z"));
        Assert.Single(await SearchAsync($"{heartRates}&date=eq2026-11-30T23:02:00%2B01:00"));
        Assert.Equal(3, (await SearchAsync($"{heartRates}&date=2026-11")).Count);
        Assert.Equal(3, (await SearchAsync($"{heartRates}&date=2026-11-30")).Count);
        Assert.Empty(await SearchAsync($"{heartRates}&date=2026-12"));
    }

    [Fact]
    public async Task Sort_ByDate_EitherWay()
    {
        var patientId = await WardAsync();

        var oldestFirst = Times(await SearchAsync($"patient={patientId}&_sort=date"));
        var newestFirst = Times(await SearchAsync($"patient={patientId}&_sort=-date"));

        Assert.Equal(oldestFirst.Order(), oldestFirst);
        Assert.Equal(oldestFirst.AsEnumerable().Reverse(), newestFirst);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Paging_WhileReadingsArrive_GivesEveryEarlierReadingOnce_InOrder(bool newestFirst)
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await server.PublishAsync(deviceId, secret, [.. Enumerable.Range(0, 25).Select(i => FhirReading.Value("heart-rate", Start.AddSeconds(i * 10), 60 + i, "/min"))]);
        var next = $"/fhir/Observation?patient={patientId}&_count=10&_sort={(newestFirst ? "-date" : "date")}";
        var seen = new List<string>();
        var arrived = 0;
        while (next is not null)
        {
            var (status, bundle) = await server.Clinician.GetFhirAsync(next);
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(Times(FhirReading.Entries(bundle)));
            next = FhirReading.Link(bundle, "next");
            Assert.True(next is null || next.StartsWith(server.BaseAddress + "fhir/Observation?", StringComparison.Ordinal), next);
            // Between pages: one reading before everything, one between the ones read, one after everything.
            await server.PublishAsync(deviceId, secret,
                FhirReading.Value("heart-rate", Start.AddSeconds(-100 - arrived), 90, "/min"),
                FhirReading.Value("heart-rate", Start.AddSeconds(5 + (arrived * 10)), 91, "/min"),
                FhirReading.Value("heart-rate", Start.AddSeconds(1000 + arrived), 92, "/min"));
            arrived++;
        }

        var original = Enumerable.Range(0, 25).Select(i => Publishing.Time(Start.AddSeconds(i * 10))).ToList();
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(newestFirst ? seen.OrderDescending() : seen.Order(), seen);
        Assert.Equal(original, seen.Intersect(original).Order());
    }

    [Fact]
    public async Task Total_IsGivenWhenThePageHoldsEverything_AndNotWhenMoreFollow()
    {
        var patientId = await WardAsync();

        var whole = (await server.Clinician.GetFhirAsync($"/fhir/Observation?patient={patientId}")).Body;
        var part = (await server.Clinician.GetFhirAsync($"/fhir/Observation?patient={patientId}&_count=2")).Body;

        Assert.Equal(6, whole.GetProperty("total").GetInt32());
        Assert.Null(FhirReading.Link(whole, "next"));
        Assert.False(part.TryGetProperty("total", out _));
        Assert.NotNull(FhirReading.Link(part, "next"));
    }

    [Fact]
    public async Task LastN_GivesTheNewestPerCode()
    {
        var patientId = await WardAsync();

        var (status, bundle) = await server.Clinician.GetFhirAsync($"/fhir/Observation/$lastn?patient={patientId}&category=vital-signs&max=2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(FhirProfileValidator.Errors(bundle.GetRawText()));
        var latest = FhirReading.Entries(bundle);
        Assert.Equal(3, latest.Count); // two heart rates of three, the one oxygen saturation
        Assert.Equal([Publishing.Time(Start.AddMinutes(2)), Publishing.Time(Start.AddMinutes(1))],
            Times(latest.Where(o => o.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == "8867-4")));
        Assert.Single(FhirReading.Entries((await server.Clinician.GetFhirAsync($"/fhir/Observation/$lastn?patient={patientId}&code=8867-4")).Body));
    }

    [Theory]
    [InlineData("patient={p}&colour=red", "colour")]
    [InlineData("patient={p}&code:text=pulse", "code:text")]
    [InlineData("code=8867-4", "patient is required")]
    [InlineData("patient={p}&patient={p}", "once")]
    [InlineData("patient={p}&date=yesterday", "yesterday")]
    [InlineData("patient={p}&date=2026-11-30T22:00:00", "not a FHIR date")]
    [InlineData("patient={p}&date=2026-02-30", "not a valid date")]
    [InlineData("patient={p}&date=ne2026-11-30", "ne")]
    [InlineData("patient={p}&date=ap2026-11-30", "ap")]
    [InlineData("patient={p}&code=http://loinc.org|", "not a token")]
    [InlineData("patient={p}&category=", "not a token")]
    [InlineData("patient={p}&_count=ten", "_count")]
    [InlineData("patient={p}&_count=0", "_count")]
    [InlineData("patient={p}&_sort=value", "_sort")]
    [InlineData("patient={p}&_cursor=page-2", "_cursor")]
    public async Task Search_WithAnUnknownOrMalformedParameter_Is400WithAnOperationOutcome(string query, string reason)
    {
        var (_, _, patientId) = await server.AssignedDeviceAsync();

        var (status, outcome) = await server.Clinician.GetFhirAsync("/fhir/Observation?" + query.Replace("{p}", patientId, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("OperationOutcome", outcome.GetProperty("resourceType").GetString());
        Assert.Contains(outcome.GetProperty("issue").EnumerateArray(), i => i.GetProperty("diagnostics").GetString()!.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/fhir/Observation/$lastn?patient={p}&_count=3", "_count")]
    [InlineData("/fhir/Observation/$lastn?patient={p}&max=many", "max")]
    [InlineData("/fhir/Observation/$lastn?patient={p}&date=2026", "date")]
    [InlineData("/fhir/Patient?name=Ada", "name")]
    [InlineData("/fhir/Patient?identifier=|", "not a token")]
    [InlineData("/fhir/Device", "patient is required")]
    [InlineData("/fhir/Device?patient={p}&type=oximeter", "type")]
    public async Task OtherSearches_WithAnUnknownOrMalformedParameter_Are400(string path, string reason)
    {
        var (_, _, patientId) = await server.AssignedDeviceAsync();

        var (status, outcome) = await server.Clinician.GetFhirAsync(path.Replace("{p}", patientId, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(outcome.GetProperty("issue").EnumerateArray(), i => i.GetProperty("diagnostics").GetString()!.Contains(reason, StringComparison.Ordinal));
    }

    // A patient with three heart rates a minute apart, an oxygen saturation, a step count and a fall.
    private async Task<string> WardAsync()
    {
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        await server.PublishAsync(deviceId, secret,
            FhirReading.Value("heart-rate", Start, 70, "/min"),
            FhirReading.Value("heart-rate", Start.AddMinutes(1), 72, "/min"),
            FhirReading.Value("heart-rate", Start.AddMinutes(2), 74, "/min"),
            FhirReading.Value("spo2", Start.AddSeconds(30), 97, "%"),
            FhirReading.Value("step-count", Start.AddSeconds(40), 300, "{steps}"),
            FhirReading.Value("fall", Start.AddSeconds(50), 1, "{event}"));
        return patientId;
    }

    private async Task<IReadOnlyList<JsonElement>> SearchAsync(string query)
    {
        var (status, bundle) = await server.Clinician.GetFhirAsync("/fhir/Observation?" + query);
        Assert.True(status == HttpStatusCode.OK, $"{query}: {(int)status} {bundle}");
        return FhirReading.Entries(bundle);
    }

    private static List<string> Times(IEnumerable<JsonElement> observations) =>
        [.. observations.Select(o => Publishing.Time(DateTimeOffset.Parse(o.GetProperty("effectiveDateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
}
