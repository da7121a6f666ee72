using Microsoft.Extensions.Options;
using OpenWard.Core.Alerting;
using OpenWard.Core.Scores;
using OpenWard.Server.Alerts;
using OpenWard.Server.Readings;

namespace OpenWard.Server.Monitoring;

/// <summary>
/// One patient watched around the clock: the latest value of each vital sign and the patient's
/// rules (limits, NEWS2, trends), whose findings become alerts — stored before the grain's turn ends, and
/// handed to the <see cref="AlertNotifier"/> to reach people without holding the turn. Rebuilt from the store when the
/// grain activates — latest readings, a week of hourly means for the baseline trends, the
/// clinician's settings and the open alerts — so nothing is lost when a silo restarts; a timer lets
/// hold-offs expire and overdue readings be noticed between readings, and keeps the grain active.
/// <see cref="PatientRollCall"/> activates, at start-up, the patients whose watch depends on that timer.
/// </summary>
public sealed class PatientGrain(
    ReadingQueries readings, AlertStore alertStore, AlertSettingsStore settingsStore, AlertService alerts,
    IOptions<AlertingOptions> options, TimeProvider clock) : Grain, IPatientGrain
{
    private readonly Dictionary<string, VitalObservation> latest = new(StringComparer.Ordinal);
    private PatientRules rules = null!;
    private News2Score? recordedNews2;
    private long observed;
    private string? patientId;

    // The key is kept as UTF-8 in the grain's id: decode it once, not on every call.
    private string PatientId => patientId ??= this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var reading in await readings.LatestAsync(PatientId, cancellationToken))
        {
            latest[reading.Vital] = PatientMonitorDispatcher.ToObservation(reading);
        }

        await LoadRulesAsync(cancellationToken);
        // The timer keeps the activation alive: Orleans collects idle grains, and a patient whose
        // devices fall silent is exactly the one whose overdue readings must still be noticed.
        var tick = options.Value.RuleTick;
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(tick, tick) { KeepAlive = true });
    }

    /// <inheritdoc />
    public Task WatchAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task ObserveAsync(ObservationBatch batch)
    {
        var taken = new RuleReading[batch.Observations.Count];
        for (var i = 0; i < taken.Length; i++)
        {
            var observation = batch.Observations[i];
            observed++;
            if (!latest.TryGetValue(observation.Vital, out var current) || observation.Time >= current.Time)
            {
                latest[observation.Vital] = observation;
            }

            taken[i] = new RuleReading(observation.Vital, observation.Value, observation.Components, observation.Time, observation.DeviceId);
        }

        var evaluation = rules.Observe(taken);
        if (evaluation is { News2: { } score, News2Time: { } scoredAt }
            && (recordedNews2 is null || score.Total != recordedNews2.Total || score.Response != recordedNews2.Response))
        {
            recordedNews2 = score;
            await alerts.RecordNews2Async(PatientId, scoredAt, score, CancellationToken.None);
        }

        await alerts.ApplyAsync(PatientId, evaluation.Findings, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task ReloadSettingsAsync() => LoadRulesAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task<PatientMonitorState> GetStateAsync() => Task.FromResult(new PatientMonitorState
    {
        Latest = [.. latest.Values.OrderBy(o => o.Vital, StringComparer.Ordinal)],
        ObservationsSinceActivation = observed,
        News2Total = rules.LatestNews2?.Total,
    });

    private async Task LoadRulesAsync(CancellationToken cancellationToken)
    {
        var alerting = options.Value;
        var settings = await settingsStore.ReadAsync(PatientId, cancellationToken);
        rules = new PatientRules(settings, new AlertingPolicy
        {
            HoldOff = alerting.HoldOff,
            News2Freshness = alerting.News2Freshness,
            News2Confirmation = alerting.News2Confirmation,
            News2HoldOff = alerting.News2HoldOff,
            EarlyWarning = alerting.EarlyWarning,
        }).WithAllMeasures();
        foreach (var open in await alertStore.OpenForPatientAsync(PatientId, cancellationToken))
        {
            rules.Resume(open.Condition, open.Severity);
        }

        foreach (var observation in latest.Values)
        {
            rules.Remember(observation.Vital, observation.Value, observation.Components, observation.Time);
        }

        var now = clock.GetUtcNow();
        rules.ResumeWaiting(now);

        // The baseline trends and the early warning need the past two weeks, by the completed hour.
        var thisHour = now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerHour));
        foreach (var measure in PatientRules.BaselineMeasures)
        {
            var buckets = await readings.BucketsAsync(PatientId, measure, hasComponents: false, TimeSpan.FromHours(1), now - PatientRules.BaselineHistory, thisHour, cancellationToken);
            foreach (var bucket in buckets.Value ?? [])
            {
                if (bucket.Mean is { } mean)
                {
                    rules.RememberHour(measure, bucket.Start, mean, (int)bucket.Count);
                }
            }
        }

        // The next complete score is kept even if it equals one kept before the grain (re)started.
        recordedNews2 = null;
    }

    private Task TickAsync(CancellationToken cancellationToken) =>
        alerts.ApplyAsync(PatientId, rules.Tick(clock.GetUtcNow()), cancellationToken);
}
