using OpenWard.Core.Alerting;

namespace OpenWard.Core.Tests;

/// <summary>
/// The personalised early warning with a clock the test controls: it learns a patient's normal by
/// time of day, warns when they leave it though every value stays within population limits, ignores
/// exertion and artefacts, stands on the population's normal until it has a day of the patient's own,
/// and clears when they are back.
/// </summary>
public sealed class EarlyWarningTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A patient with a wearable once a minute: heart rate with a day-night rhythm, breathing rate, saturation and steps.</summary>
    private sealed class Wearer
    {
        private readonly Random noise = new(17);
        public PatientRules Rules { get; } = new(new PatientAlertSettings(), new AlertingPolicy());
        public List<RuleFinding> Findings { get; } = [];

        /// <summary>Lives <paramref name="hours"/> hours from <paramref name="from"/>, the signs shifted by the given amounts.</summary>
        public void Live(DateTimeOffset from, int hours, double heartRateUp = 0, double breathingUp = 0, double saturationDown = 0, Func<int, bool>? exercising = null, int probeOffDipsPerHour = 0)
        {
            for (var minute = 0; minute < hours * 60; minute++)
            {
                var time = from.AddMinutes(minute);
                var night = time.Hour is < 6 or >= 22;
                var active = exercising?.Invoke(minute / 60) ?? false;
                var heartRate = (night ? 60 : 70) + heartRateUp + (active ? 55 : 0) + noise.Next(-3, 4);
                var saturation = minute % 60 < probeOffDipsPerHour ? 72 : 96 - saturationDown + noise.Next(-1, 2);
                Observe(new RuleReading("heart-rate", heartRate, null, time, "watch"));
                Observe(new RuleReading("spo2", saturation, null, time, "watch"));
                Observe(new RuleReading("respiratory-rate", (night ? 14 : 16) + breathingUp + noise.Next(-1, 2), null, time, "watch"));
                if (minute % 15 == 14)
                {
                    Observe(new RuleReading("step-count", active ? 1500 : night ? 0 : 40, null, time, "watch"));
                }
            }
        }

        private void Observe(RuleReading reading) =>
            Findings.AddRange(Rules.Observe([reading]).Findings.Where(f => f.Condition == EarlyWarning.Condition));
    }

    [Fact]
    public void LeavingTheirOwnNormal_WithinPopulationLimits_RaisesAWarning_ThatSaysWhatMoved()
    {
        var patient = new Wearer();
        patient.Live(Start, 72);
        Assert.Empty(patient.Findings);

        // Resting heart rate 18 /min and breathing rate 5 /min above usual: 78–88 /min and 19–21 /min, inside every population limit.
        patient.Live(Start.AddHours(72), 8, heartRateUp: 18, breathingUp: 5);

        var warning = Assert.Single(patient.Findings);
        Assert.Equal(AlertSeverity.Warning, warning.Severity);
        Assert.InRange(warning.Time, Start.AddHours(75), Start.AddHours(77));
        Assert.StartsWith("Resting heart rate 18 /min above this patient's usual for the time of day", warning.Summary, StringComparison.Ordinal);
        Assert.Contains("with breathing rate up 5 /min", warning.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLastHourBeforeTheWearableFallsSilent_IsJudgedOnTheTimer()
    {
        var patient = new Wearer();
        patient.Live(Start, 72);
        patient.Live(Start.AddHours(72), 3, heartRateUp: 18, breathingUp: 5);
        Assert.Empty(patient.Findings); // the third hour has no later reading to close it

        Assert.DoesNotContain(patient.Rules.Tick(Start.AddHours(75).AddMinutes(9)), f => f.Condition == EarlyWarning.Condition);
        var warning = Assert.Single(patient.Rules.Tick(Start.AddHours(75).AddMinutes(10)), f => f.Condition == EarlyWarning.Condition);

        Assert.Equal((AlertSeverity.Warning, Start.AddHours(75).AddMinutes(10)), (warning.Severity, warning.Time));
    }

    [Fact]
    public void BackToTheirNormal_ClearsAfterFourCalmHours()
    {
        var patient = new Wearer();
        patient.Live(Start, 72);
        patient.Live(Start.AddHours(72), 6, heartRateUp: 18, breathingUp: 5);

        patient.Live(Start.AddHours(78), 8);

        Assert.Equal(2, patient.Findings.Count);
        var cleared = patient.Findings[1];
        Assert.True(cleared.Cleared);
        Assert.InRange(cleared.Time, Start.AddHours(82), Start.AddHours(84));
    }

    [Fact]
    public void Exertion_AndProbeOffDips_AreNotADeparture()
    {
        var patient = new Wearer();
        patient.Live(Start, 72);

        // A day with three hours of brisk walking (heart rate 125 /min) and a night of poor sensor contact.
        patient.Live(Start.AddHours(72), 24, exercising: hour => hour is 9 or 10 or 11, probeOffDipsPerHour: 12);

        Assert.Empty(patient.Findings);
    }

    [Fact]
    public void WithoutADayOfTheirOwn_ThePopulationsNormalStandsIn()
    {
        var patient = new Wearer();

        // From the first hour: resting heart rate around 118 and breathing rate 24, far from an adult's usual.
        patient.Live(Start.AddHours(10), 6, heartRateUp: 48, breathingUp: 8);

        var warning = Assert.Single(patient.Findings);
        Assert.Contains("above the usual for adults (too little of this patient's history yet)", warning.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void NormalRebuiltFromTheStoresHours_JudgesTheNextHoursAsBefore()
    {
        // A grain that activates after a restart knows only the store's hourly means.
        var rules = new PatientRules(new PatientAlertSettings(), new AlertingPolicy());
        for (var hour = 0; hour < 72; hour++)
        {
            var time = Start.AddHours(hour);
            var night = time.Hour is < 6 or >= 22;
            rules.RememberHour("heart-rate", time, night ? 60 : 70, 60);
            rules.RememberHour("respiratory-rate", time, night ? 14 : 16, 60);
            rules.RememberHour("spo2", time, 96, 60);
            rules.RememberHour("step-count", time, night ? 0 : 40, 4);
        }

        var findings = new List<RuleFinding>();
        for (var minute = 0; minute < 6 * 60; minute++)
        {
            var time = Start.AddHours(72).AddMinutes(minute);
            foreach (var (vital, value) in new[] { ("heart-rate", 88.0), ("respiratory-rate", 21.0), ("spo2", 96.0) })
            {
                findings.AddRange(rules.Observe([new RuleReading(vital, value, null, time, "watch")]).Findings.Where(f => f.Condition == EarlyWarning.Condition));
            }
        }

        Assert.Contains("this patient's usual", Assert.Single(findings).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void TurnedOff_ItRaisesNothing()
    {
        var rules = new PatientRules(new PatientAlertSettings(), new AlertingPolicy { EarlyWarning = false });
        var findings = new List<RuleFinding>();
        for (var minute = 0; minute < 6 * 60; minute++)
        {
            findings.AddRange(rules.Observe([new RuleReading("heart-rate", 118, null, Start.AddMinutes(minute), "watch")]).Findings);
        }

        Assert.DoesNotContain(findings, f => f.Condition == EarlyWarning.Condition);
    }

    [Fact]
    public void HourlyMedian_IgnoresAFewMinutesOfArtefacts()
    {
        var hour = new HourlyMedian(40, 100);
        foreach (var minute in Enumerable.Range(0, 60))
        {
            hour.Add(minute < 12 ? 70 : 95.6);
        }

        Assert.Equal((96.0, 60), (hour.Median(), hour.Count));
    }
}
