using OpenWard.Core.Alerting;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Readings;

namespace OpenWard.Core.Tests;

/// <summary>
/// Limits on continuous signals at the cadences devices really have — a 1 Hz bedside oximeter, a
/// wearable once a minute, one every five minutes — and on spot measurements: artefacts (probe-off
/// dips, motion spikes, off-wrist zeros) never alert, sustained breaches do after the persistence,
/// and a gap starts the evidence afresh. A clock the test controls; no sleeps.
/// </summary>
public sealed class ContinuousSignalTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private const string Wearable = "wearable-1";

    private static PatientRules Rules(PatientAlertSettings? settings = null) => new(settings ?? new PatientAlertSettings(), new AlertingPolicy());

    /// <summary>Feeds values at a fixed cadence from one device, starting at <paramref name="from"/>; returns every finding.</summary>
    private static List<RuleFinding> Signal(PatientRules rules, string vital, TimeSpan cadence, DateTimeOffset from, IEnumerable<double> values) =>
        [.. values.SelectMany((value, i) => rules.Observe([new RuleReading(vital, value, null, from + cadence * i, Wearable)]).Findings)];

    private static IEnumerable<double> Repeat(double value, TimeSpan cadence, TimeSpan lasting) =>
        Enumerable.Repeat(value, (int)(lasting / cadence));

    public static TheoryData<int> Cadences => new() { 1, 60, 300 };

    [Theory]
    [MemberData(nameof(Cadences))]
    public void ProbeOffDips_AndMotionSpikes_NeverAlert(int seconds)
    {
        var cadence = TimeSpan.FromSeconds(seconds);
        var rules = Rules();
        // An hour of normal readings with a two-sample probe-off dip to 70 % every ten readings, and
        // two-sample motion spikes of the heart rate to 165 /min.
        var saturation = Enumerable.Range(0, 120).Select(i => i % 10 is 4 or 5 ? 70.0 : 96);
        var pulse = Enumerable.Range(0, 120).Select(i => i % 10 is 7 or 8 ? 165.0 : 78);

        var findings = Signal(rules, "spo2", cadence, Start, saturation).Concat(Signal(rules, "heart-rate", cadence, Start, pulse));

        Assert.DoesNotContain(findings, f => f.Condition.StartsWith("threshold:", StringComparison.Ordinal));
    }

    [Fact]
    public void ThreeMinuteProbeOffDip_OnAWearableOnceAMinute_DoesNotAlert()
    {
        var rules = Rules();
        double[] minutes = [96, 96, 96, 96, 96, 72, 70, 71, 96, 96, 96, 96, 96, 96];

        Assert.Empty(Signal(rules, "spo2", TimeSpan.FromMinutes(1), Start, minutes));
    }

    [Theory]
    [MemberData(nameof(Cadences))]
    public void SustainedBreach_AlertsOnceItHasLastedTheFifteenMinutePersistence(int seconds)
    {
        var cadence = TimeSpan.FromSeconds(seconds);
        var rules = Rules();
        Signal(rules, "heart-rate", cadence, Start, Repeat(75, cadence, TimeSpan.FromMinutes(30)));
        var breachStart = Start.AddMinutes(30);

        var findings = Signal(rules, "heart-rate", cadence, breachStart, Repeat(130, cadence, TimeSpan.FromMinutes(40)));

        var raised = Assert.Single(findings);
        Assert.Equal(("threshold:heart-rate:high", AlertSeverity.Warning), (raised.Condition, raised.Severity));
        // Fifteen minutes of breach once most of the window breached: never sooner, and at most a smoothing window later.
        Assert.InRange(raised.Time, breachStart.AddMinutes(15), breachStart.AddMinutes(15 + 5) + cadence);
        Assert.StartsWith("Heart rate 130 /min above 120 /min for 15 min", raised.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cadences))]
    public void TwelveMinutesOfExertion_DoesNotAlert(int seconds)
    {
        var cadence = TimeSpan.FromSeconds(seconds);
        var rules = Rules();
        Signal(rules, "heart-rate", cadence, Start, Repeat(75, cadence, TimeSpan.FromMinutes(30)));
        Signal(rules, "heart-rate", cadence, Start.AddMinutes(30), Repeat(132, cadence, TimeSpan.FromMinutes(12)));

        Assert.Empty(Signal(rules, "heart-rate", cadence, Start.AddMinutes(42), Repeat(85, cadence, TimeSpan.FromMinutes(30))));
    }

    [Fact]
    public void ExertionTheStepCounterConfirms_ExplainsAFastHeartRate_ButNeverACriticalOne()
    {
        var cadence = TimeSpan.FromMinutes(1);
        var walking = Rules();
        var resting = Rules();
        Signal(walking, "heart-rate", cadence, Start, Repeat(75, cadence, TimeSpan.FromMinutes(30)));
        Signal(resting, "heart-rate", cadence, Start, Repeat(75, cadence, TimeSpan.FromMinutes(30)));

        // Forty minutes at 132 /min: on a brisk walk (the wearable counts 1,200 steps a quarter of an hour), and at rest.
        var findings = new List<RuleFinding>();
        for (var minute = 0; minute < 40; minute++)
        {
            var time = Start.AddMinutes(30 + minute);
            findings.AddRange(walking.Observe([new RuleReading("heart-rate", 132, null, time, Wearable)]).Findings);
            if (minute % 15 == 14)
            {
                findings.AddRange(walking.Observe([new RuleReading("step-count", 1200, null, time, Wearable)]).Findings);
            }
        }

        Assert.Empty(findings);
        Assert.Equal(AlertSeverity.Warning, Assert.Single(Signal(resting, "heart-rate", cadence, Start.AddMinutes(30), Repeat(132, cadence, TimeSpan.FromMinutes(40)))).Severity);
        // Above the critical limit, exertion explains nothing.
        var racing = new List<RuleFinding>();
        for (var minute = 0; minute < 30; minute++)
        {
            var time = Start.AddMinutes(70 + minute);
            racing.AddRange(walking.Observe([new RuleReading("heart-rate", 150, null, time, Wearable)]).Findings);
            if (minute % 15 == 14)
            {
                racing.AddRange(walking.Observe([new RuleReading("step-count", 1200, null, time, Wearable)]).Findings);
            }
        }

        Assert.Equal(AlertSeverity.Critical, Assert.Single(racing).Severity);
    }

    [Fact]
    public void APatientsUsualValueBeyondALimit_IsNotNews_OnceTheirNormalIsKnown()
    {
        var rules = Rules();
        var raised = BetaBlockedNights(rules);

        // Until a day of their own hours from before the last twelve is known, each night alerts; after that, none.
        Assert.Equal(2, raised.Count);
        Assert.All(raised, f => Assert.Equal("threshold:heart-rate:low", f.Condition));
        Assert.All(raised, f => Assert.True(f.Time < new DateTimeOffset(Start.Date.AddDays(2), TimeSpan.Zero)));
    }

    [Fact]
    public void LimitsAClinicianSet_AreNeverExplainedAway()
    {
        var rules = Rules(new PatientAlertSettings { Thresholds = [new ThresholdBands { Measure = "heart-rate", CriticalLow = 40, Low = 50, Hysteresis = 5 }] });

        Assert.Equal(4, BetaBlockedNights(rules).Count);
    }

    /// <summary>Four days of a beta-blocked heart rate: 47 /min every night from midnight to six, 58 by day; the alerts raised.</summary>
    private static List<RuleFinding> BetaBlockedNights(PatientRules rules)
    {
        var cadence = TimeSpan.FromMinutes(1);
        var findings = new List<RuleFinding>();
        for (var day = 0; day < 4; day++)
        {
            var midnight = Start.Date.AddDays(day);
            findings.AddRange(Signal(rules, "heart-rate", cadence, new DateTimeOffset(midnight, TimeSpan.Zero), Repeat(47, cadence, TimeSpan.FromHours(6))));
            findings.AddRange(Signal(rules, "heart-rate", cadence, new DateTimeOffset(midnight.AddHours(6), TimeSpan.Zero), Repeat(58, cadence, TimeSpan.FromHours(18))));
        }

        return [.. findings.Where(f => !f.Cleared)];
    }

    [Theory]
    [MemberData(nameof(Cadences))]
    public void SustainedCriticalSaturation_AlertsCriticalAfterFiveMinutes(int seconds)
    {
        var cadence = TimeSpan.FromSeconds(seconds);
        var rules = Rules();
        Signal(rules, "spo2", cadence, Start, Repeat(96, cadence, TimeSpan.FromMinutes(30)));
        var breachStart = Start.AddMinutes(30);

        var findings = Signal(rules, "spo2", cadence, breachStart, Repeat(82, cadence, TimeSpan.FromMinutes(20)));

        var raised = Assert.Single(findings);
        Assert.Equal(("threshold:spo2:low", AlertSeverity.Critical), (raised.Condition, raised.Severity));
        Assert.InRange(raised.Time, breachStart.AddMinutes(5), breachStart.AddMinutes(5 + 5) + cadence);
    }

    [Fact]
    public void OpenWarning_BecomesCritical_OnceTheCriticalValueHasPersisted()
    {
        var cadence = TimeSpan.FromMinutes(1);
        var rules = Rules();
        Assert.Single(Signal(rules, "heart-rate", cadence, Start, Repeat(130, cadence, TimeSpan.FromMinutes(25))));

        var worse = Signal(rules, "heart-rate", cadence, Start.AddMinutes(25), Repeat(150, cadence, TimeSpan.FromMinutes(25)));

        // The open alert is updated as the evidence worsens, and becomes critical once that has persisted.
        Assert.All(worse, f => Assert.Equal("threshold:heart-rate:high", f.Condition));
        var critical = Assert.Single(worse, f => f.Severity == AlertSeverity.Critical);
        Assert.StartsWith("Heart rate 150 /min above 140 /min", critical.Summary, StringComparison.Ordinal);
        // Severity does not drop while open, and a value no worse is no news.
        Assert.Empty(Signal(rules, "heart-rate", cadence, Start.AddMinutes(50), Repeat(130, cadence, TimeSpan.FromMinutes(10))));
    }

    [Fact]
    public void BreachesEitherSideOfAGap_DoNotAddUp()
    {
        var cadence = TimeSpan.FromMinutes(1);
        var rules = Rules();
        Signal(rules, "heart-rate", cadence, Start, Repeat(75, cadence, TimeSpan.FromMinutes(10)));

        var before = Signal(rules, "heart-rate", cadence, Start.AddMinutes(10), Repeat(130, cadence, TimeSpan.FromMinutes(10)));
        // Off the wrist for twenty minutes (no readings), then the same again.
        var after = Signal(rules, "heart-rate", cadence, Start.AddMinutes(40), Repeat(130, cadence, TimeSpan.FromMinutes(10)));

        Assert.Empty(before.Concat(after));
    }

    [Fact]
    public void SpotMeasurements_AlertOnTheReadingItself_EvenOfAContinuousMeasure()
    {
        var rules = Rules();
        // A finger oximeter used three times a day: each reading stands alone.
        Assert.Empty(rules.Observe([new RuleReading("spo2", 96, null, Start, "finger-oximeter")]).Findings);
        var low = rules.Observe([new RuleReading("spo2", 90, null, Start.AddHours(6), "finger-oximeter")]).Findings;

        Assert.Equal(("threshold:spo2:low", AlertSeverity.Warning), (Assert.Single(low).Condition, Assert.Single(low).Severity));
    }

    [Fact]
    public void FirstReadingOfAnUnknownDevice_IsJudgedAsASpotMeasurement_WhenNoSecondFollows()
    {
        var cadence = TimeSpan.FromMinutes(1);
        var rules = Rules();
        Signal(rules, "heart-rate", cadence, Start, Repeat(80, cadence, TimeSpan.FromMinutes(30)));

        // A cuff's first pulse reading among the wearable's: its rhythm is not known yet, so it waits…
        Assert.Empty(rules.Observe([new RuleReading("heart-rate", 38, null, Start.AddMinutes(30), "cuff")]).Findings);
        Assert.Empty(rules.Tick(Start.AddMinutes(44)));
        // …and with no second reading within 15 minutes it was a spot measurement: critical on itself.
        var spot = Assert.Single(rules.Tick(Start.AddMinutes(45)));
        Assert.Equal(("threshold:heart-rate:low", AlertSeverity.Critical), (spot.Condition, spot.Severity));
    }

    [Fact]
    public void ADeviceOnceUsedTwiceInAQuarterOfAnHour_StillAlertsOnALaterSpotCheck()
    {
        var rules = Rules();
        // A finger oximeter: a reading re-checked three minutes later, then one six hours on at 80 %.
        rules.Observe([new RuleReading("spo2", 95, null, Start, "finger-oximeter")]);
        rules.Observe([new RuleReading("spo2", 96, null, Start.AddMinutes(3), "finger-oximeter")]);
        var later = Start.AddHours(6);
        Assert.Empty(rules.Observe([new RuleReading("spo2", 80, null, later, "finger-oximeter")]).Findings);

        // No reading follows within 15 minutes: it was a spot check, and a critical one.
        var spot = Assert.Single(rules.Tick(later.AddMinutes(15)));
        Assert.Equal(("threshold:spo2:low", AlertSeverity.Critical), (spot.Condition, spot.Severity));
    }

    [Fact]
    public void AFirstReading_FollowedByASecondOnlyAfterTheSpotInterval_IsJudgedAsASpotMeasurement()
    {
        var rules = Rules();
        rules.Observe([new RuleReading("spo2", 84, null, Start, "finger-oximeter")]);

        // The second reading comes 20 minutes later, before any tick: both were spot measurements.
        var findings = rules.Observe([new RuleReading("spo2", 96, null, Start.AddMinutes(20), "finger-oximeter")]).Findings;

        var first = Assert.Single(findings);
        Assert.Equal(("threshold:spo2:low", AlertSeverity.Critical), (first.Condition, first.Severity));
    }

    [Fact]
    public void FirstReadingOfAWearable_IsNotJudgedAlone()
    {
        var cadence = TimeSpan.FromMinutes(1);
        var rules = Rules();

        // A wearable put on with a probe-off reading first: the next reading a minute later makes it continuous.
        Assert.Empty(Signal(rules, "spo2", cadence, Start, [70, 96, 97, 96, 96]));
        Assert.Empty(rules.Tick(Start.AddMinutes(30)));
    }

    [Theory]
    [InlineData("heart-rate", "/min")]
    [InlineData("spo2", "%")]
    public void OffWristZeros_AreRefusedBeforeTheRules(string vital, string unit)
    {
        var check = ReadingValidator.Check(new ReadingSubmission { Vital = vital, Time = Start, Value = 0, Unit = unit }, Wearable, Start);

        Assert.False(check.IsValid);
        Assert.Contains("outside the plausible range", check.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ClinicianOverride_KeepsTheDefaultConfirmation_UnlessItSaysOtherwise()
    {
        var cadence = TimeSpan.FromMinutes(1);
        var settings = new PatientAlertSettings { Thresholds = [new ThresholdBands { Measure = "spo2", CriticalLow = 80, Low = 88, Hysteresis = 2 }] };
        var rules = Rules(settings);
        Signal(rules, "spo2", cadence, Start, Repeat(91, cadence, TimeSpan.FromMinutes(30)));

        // Ten minutes at 86 %: below this patient's 88 %, but not yet for the default fifteen minutes.
        Assert.Empty(Signal(rules, "spo2", cadence, Start.AddMinutes(30), Repeat(86, cadence, TimeSpan.FromMinutes(10))));

        var immediate = Rules(settings with { Thresholds = [settings.Thresholds[0] with { Persistence = TimeSpan.Zero, Smoothing = TimeSpan.Zero }] });
        Signal(immediate, "spo2", cadence, Start, Repeat(91, cadence, TimeSpan.FromMinutes(30)));
        Assert.Single(Signal(immediate, "spo2", cadence, Start.AddMinutes(30), [86]));
    }
}
