using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Scenarios;
using OpenWard.Simulator.Ward;

namespace OpenWard.Simulator.Tests;

public sealed class SimulatorModelTests
{
    private static readonly Dictionary<int, IReadOnlyList<string>> NoScenarios = [];

    [Fact]
    public void Ward_OverDaysOfHistory_ProducesOnlyReadingsOpenWardAccepts()
    {
        var plan = WardPlan.Create(patients: 8, seed: 7, "t", WardPlan.DemoScenarios);
        var recording = WardRecording.Run(plan, history: TimeSpan.FromDays(3), duration: TimeSpan.FromHours(1), step: TimeSpan.FromSeconds(5));

        var readings = recording.Uploads.SelectMany(u => u.Readings.Select(r => (u.Device, u.At, Reading: r))).ToList();
        Assert.True(readings.Count > 20_000, $"only {readings.Count} readings");
        foreach (var (device, at, reading) in readings)
        {
            var submission = new ReadingSubmission
            {
                Vital = reading.Vital, Time = reading.Time, Value = reading.Value, Components = reading.Components, Unit = reading.Unit,
            };
            var check = ReadingValidator.Check(submission, device.Id, at);
            Assert.True(check.IsValid, $"{device.Id} {reading}: {check.Problem}");
        }

        var vitals = readings.Select(r => r.Reading.Vital).Distinct().Order();
        Assert.Equal(["blood-glucose", "blood-pressure", "body-temperature", "body-weight", "emergency-call", "fall", "heart-rate", "respiratory-rate", "spo2", "step-count"], vitals);
    }

    [Fact]
    public void NoTwoPatients_ShareAName_UntilEveryNameIsUsed()
    {
        foreach (var seed in new[] { 1, 7, 42, 2026 })
        {
            var names = WardPlan.Create(patients: 480, seed, "t", NoScenarios).Patients.Select(p => p.Name).ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
        }

        var crowded = WardPlan.Create(patients: 500, seed: 1, "t", NoScenarios).Patients.Select(p => p.Name).ToList();
        Assert.Equal(480, crowded.Distinct().Count());
    }

    [Fact]
    public void SimulatedNames_AreMarked_AndNoneIsADemoWardsName()
    {
        foreach (var seed in new[] { 1, 7, WardPlan.DemoSeed })
        {
            var demo = new[] { seed, WardPlan.DemoSeed }
                .SelectMany(s => WardPlan.Create(WardPlan.DemoPatients, s, "d", WardPlan.DemoScenarios).Patients.Select(p => p.Name))
                .ToHashSet();
            var names = WardPlan.Create(200, seed, "s", NoScenarios, PatientNames.Simulated(seed)).Patients.Select(p => p.Name).ToList();
            Assert.All(names, name => Assert.EndsWith(" (simulated)", name, StringComparison.Ordinal));
            Assert.DoesNotContain(names, name => demo.Contains(name[..^" (simulated)".Length]));
            Assert.Equal(names.Count, names.Distinct().Count());
        }
    }

    [Fact]
    public void Ward_WithTheSameSeed_IsTheSameEveryTime()
    {
        var plan = WardPlan.Create(patients: 3, seed: 42, "t", NoScenarios);

        var first = WardRecording.Run(plan, TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1));
        var second = WardRecording.Run(WardPlan.Create(patients: 3, seed: 42, "t", NoScenarios), TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1));
        var other = WardRecording.Run(WardPlan.Create(patients: 3, seed: 43, "t", NoScenarios), TimeSpan.FromHours(6), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1));

        Assert.Equal(first.Uploads.SelectMany(u => u.Readings).Select(r => (r.Vital, r.Time, r.Value)),
            second.Uploads.SelectMany(u => u.Readings).Select(r => (r.Vital, r.Time, r.Value)));
        Assert.NotEqual(first.Uploads.SelectMany(u => u.Readings).Select(r => r.Value),
            other.Uploads.SelectMany(u => u.Readings).Select(r => r.Value));
        Assert.Equal(plan.Patients.Select(p => p.Name), WardPlan.Create(3, 42, "t", NoScenarios).Patients.Select(p => p.Name));
    }

    [Fact]
    public void Sepsis_AtItsWorst_CrossesTheNews2DangerThresholds()
    {
        var plan = WardPlan.Create(patients: 1, seed: 3, "t", new Dictionary<int, IReadOnlyList<string>> { [0] = ["sepsis"] });
        var recording = WardRecording.Run(plan, TimeSpan.FromHours(1), TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1), dropouts: false);
        var sepsis = Assert.IsType<Sepsis>(Deterioration.Named("sepsis"));
        var worst = WardRecording.Start + sepsis.Onset + sepsis.Duration;

        double MeanAfter(string device, string vital) =>
            recording.Readings(device, vital).Where(r => r.Time >= worst).Average(r => r.Value!.Value);

        Assert.True(MeanAfter("t001-oxi", "heart-rate") >= 111, "heart rate ≥ 111 /min");
        Assert.True(MeanAfter("t001-oxi", "spo2") <= 91, "SpO2 ≤ 91 %");
        Assert.True(MeanAfter("t001-band", "respiratory-rate") >= 25, "respiratory rate ≥ 25 /min");
        Assert.True(MeanAfter("t001-temp", "body-temperature") >= 38.5, "temperature ≥ 38.5 °C");
        var systolic = recording.Readings("t001-cuff", "blood-pressure").Where(r => r.Time >= worst).Average(r => r.Components!["systolic"]);
        Assert.True(systolic <= 90, $"systolic {systolic} ≤ 90 mm[Hg]");

        // The wearable band's history shows the patient well before the scenario's onset.
        var before = recording.Readings("t001-band", "heart-rate").Where(r => r.Time < WardRecording.Start + sepsis.Onset).Average(r => r.Value!.Value);
        Assert.True(before < 100, "heart rate normal before onset");
    }

    [Fact]
    public void HeartFailure_PutsOnAtLeastTwoKilogramsInTwoDays()
    {
        var plan = WardPlan.Create(patients: 1, seed: 5, "t", new Dictionary<int, IReadOnlyList<string>> { [0] = ["heart-failure"] });
        var recording = WardRecording.Run(plan, TimeSpan.FromDays(7), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), dropouts: false);

        var weights = recording.Readings("t001-scale", "body-weight").OrderBy(r => r.Time).ToList();
        var latest = weights[^1];
        var twoDaysEarlier = weights.Last(r => r.Time <= latest.Time.AddDays(-2).AddHours(2));
        Assert.True(latest.Value - twoDaysEarlier.Value >= 2, $"{twoDaysEarlier.Value} kg → {latest.Value} kg");
        var weekAgo = weights.First();
        Assert.True(Math.Abs(weights.Where(r => r.Time < WardRecording.Start.AddDays(-3)).Max(r => r.Value!.Value) - weekAgo.Value!.Value) < 1.5, "stable before onset");
    }

    [Fact]
    public void Fall_IsReportedByThePendant_ThenTheHelpButtonIsPressed()
    {
        var plan = WardPlan.Create(patients: 1, seed: 5, "t", new Dictionary<int, IReadOnlyList<string>> { [0] = ["fall"] });
        var recording = WardRecording.Run(plan, TimeSpan.Zero, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(5), dropouts: false);

        var fall = Assert.Single(recording.Readings("t001-pendant", "fall"));
        var call = Assert.Single(recording.Readings("t001-pendant", "emergency-call"));
        Assert.Equal(WardRecording.Start.AddMinutes(3), fall.Time);
        Assert.Equal(fall.Time.AddMinutes(1), call.Time);
        Assert.Equal((1.0, "{event}"), (fall.Value!.Value, fall.Unit));
    }

    [Fact]
    public void Hypoglycaemia_ReachesAnUrgentLowAndIsCheckedOften()
    {
        var plan = WardPlan.Create(patients: 1, seed: 11, "t", new Dictionary<int, IReadOnlyList<string>> { [0] = ["hypoglycaemia"] });
        var recording = WardRecording.Run(plan, TimeSpan.Zero, TimeSpan.FromMinutes(60), TimeSpan.FromSeconds(10), dropouts: false);

        var glucose = recording.Readings("t001-gluco", "blood-glucose").ToList();
        Assert.True(glucose.Count >= 3, $"{glucose.Count} glucose checks");
        Assert.Contains(glucose, r => r.Value < 54);
    }

    [Fact]
    public void Dropouts_BufferReadingsAndUploadThemLateWithoutLoss()
    {
        var plan = WardPlan.Create(patients: 6, seed: 9, "t", NoScenarios);
        var duration = TimeSpan.FromHours(3);
        var recording = WardRecording.Run(plan, TimeSpan.Zero, duration, TimeSpan.FromSeconds(1));

        var oximeterUploads = recording.Uploads.Where(u => u.Device.Kind == DeviceKind.PulseOximeter).ToList();
        var late = oximeterUploads.Where(u => u.Readings.Count > 2).ToList();
        Assert.NotEmpty(late);
        // A reconnecting device sends its whole buffer at once (in chunks), starting minutes back.
        Assert.All(late.GroupBy(u => (u.Device.Id, u.At)), burst => Assert.True(burst.Min(u => u.Readings[0].Time) < burst.Key.At.AddMinutes(-1)));
        foreach (var device in oximeterUploads.GroupBy(u => u.Device.Id))
        {
            var times = device.SelectMany(u => u.Readings).Where(r => r.Vital == "spo2").Select(r => r.Time).ToList();
            Assert.Equal(times.Count, times.Distinct().Count());
            // Every second is measured once; a device offline at the end still holds its last minutes.
            Assert.InRange(times.Count, duration.TotalSeconds - 11 * 60, duration.TotalSeconds + 1);
        }
    }
}
