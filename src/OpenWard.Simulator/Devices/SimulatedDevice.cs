using OpenWard.Core.Vitals;
using OpenWard.Simulator.Physiology;

namespace OpenWard.Simulator.Devices;

/// <summary>
/// One simulated device on one patient: it measures on its own rhythm with measurement error and
/// occasional artefacts, buffers what it measured, now and then loses its connection for a few
/// minutes, and uploads late, buffered batches when it is back. Deterministic for a given seed.
/// </summary>
public sealed class SimulatedDevice
{
    /// <summary>The most readings one upload carries; longer buffers go in several messages.</summary>
    public const int MaxReadingsPerUpload = 500;

    private static readonly TimeSpan UnwellCheckInterval = TimeSpan.FromMinutes(15);
    private readonly PatientPhysiology patient;
    private readonly Random random;
    private readonly DateTimeOffset start;
    private readonly TimeSpan firstCheck;
    private readonly List<SimulatedReading> buffer = [];
    private DateTimeOffset sampledUntil;
    private DateTimeOffset nextUpload;
    private DateTimeOffset? offlineUntil;

    /// <summary>A device that starts measuring at <paramref name="start"/>, having kept <paramref name="history"/> of past readings.</summary>
    public SimulatedDevice(string id, DeviceKind kind, PatientPhysiology patient, DateTimeOffset start, TimeSpan history, int seed)
    {
        Id = id;
        Kind = kind;
        this.patient = patient;
        this.start = start;
        random = new Random(seed);
        firstCheck = TimeSpan.FromSeconds(20 + random.Next(100));
        sampledUntil = DeviceCatalogue.KeepsHistory(kind) ? start - history : start;
        nextUpload = start;
    }

    /// <summary>The device id (MQTT user name).</summary>
    public string Id { get; }

    /// <summary>What kind of device it is.</summary>
    public DeviceKind Kind { get; }

    /// <summary>Chance per minute that the connection drops (0 turns drop-outs off).</summary>
    public double DropoutsPerMinute { get; init; } = 1.0 / 360;

    /// <summary>Whether the device has a connection at the moment of the last step.</summary>
    public bool Online => offlineUntil is null;

    /// <summary>
    /// Whether the device, being without a connection, connects now: once its drop-out is over, at once if it holds its
    /// connection (<see cref="DeviceCatalogue.HoldsConnection"/>), or when it has uploads to send.
    /// </summary>
    public bool ConnectsNow(bool hasUploads) => Online && (hasUploads || DeviceCatalogue.HoldsConnection(Kind));

    /// <summary>
    /// Advances the device to <paramref name="now"/>: measures what is due and returns the uploads
    /// to send now (empty while offline or between uploads).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<SimulatedReading>> Step(DateTimeOffset now)
    {
        var elapsed = now - sampledUntil;
        Measure(sampledUntil, now);
        sampledUntil = now;

        if (offlineUntil is { } until)
        {
            if (now < until)
            {
                return [];
            }

            offlineUntil = null;
        }
        else if (now > start && DropoutsPerMinute > 0 && random.NextDouble() < DropoutsPerMinute * Math.Min(elapsed.TotalMinutes, 1))
        {
            offlineUntil = now + TimeSpan.FromMinutes(2 + random.Next(9));
            return [];
        }

        if (now < nextUpload || buffer.Count == 0)
        {
            return [];
        }

        nextUpload = now + DeviceCatalogue.UploadInterval(Kind);
        var uploads = buffer.Chunk(MaxReadingsPerUpload).Select(chunk => (IReadOnlyList<SimulatedReading>)chunk).ToList();
        buffer.Clear();
        return uploads;
    }

    private void Measure(DateTimeOffset from, DateTimeOffset to)
    {
        if (Kind == DeviceKind.EmergencyPendant)
        {
            // A pendant measures nothing: it reports a fall, and the help-button press after it, when they happen.
            foreach (var fall in patient.Deteriorations.OfType<Scenarios.Fall>())
            {
                Event(VitalSignCatalogue.Fall, start + fall.Onset, from, to);
                Event(VitalSignCatalogue.EmergencyCall, start + fall.Onset + Scenarios.Fall.CallAfter, from, to);
            }

            return;
        }

        if (DeviceCatalogue.SampleInterval(Kind) is { } interval)
        {
            var ticks = interval.Ticks;
            for (var t = new DateTimeOffset((from.UtcTicks / ticks + 1) * ticks, TimeSpan.Zero); t <= to; t += interval)
            {
                MeasureAt(t);
            }

            return;
        }

        foreach (var time in SpotCheckTimes(from, to))
        {
            MeasureAt(time);
        }
    }

    /// <summary>Scheduled daily checks (with a daily jitter), a first check soon after start, and extra checks while unwell (as often as the scenario says; every 15 minutes while hypoglycaemic otherwise).</summary>
    private IEnumerable<DateTimeOffset> SpotCheckTimes(DateTimeOffset from, DateTimeOffset to)
    {
        var times = new SortedSet<DateTimeOffset>();
        for (var day = from.UtcDateTime.Date; day <= to.UtcDateTime.Date; day = day.AddDays(1))
        {
            var dayRandom = new Random(StableHash.Of(Id, day.Ticks));
            foreach (var hour in DeviceCatalogue.DailySchedule(Kind))
            {
                times.Add(new DateTimeOffset(day, TimeSpan.Zero).AddHours(hour).AddMinutes(dayRandom.Next(-20, 21)).AddSeconds(dayRandom.Next(60)));
            }
        }

        times.Add(start + firstCheck);
        if (Kind != DeviceKind.Scale)
        {
            var every = patient.Deteriorations.Min(d => d.Recheck) ?? UnwellCheckInterval;
            for (var t = start + firstCheck + every; t <= to; t += every)
            {
                if (t > from && (patient.Deteriorations.Any(d => d.Recheck is not null && d.Progress(t - start) > 0) || IsHypoglycaemic(t)))
                {
                    times.Add(t);
                }
            }
        }

        return times.Where(t => t > from && t <= to);
    }

    private void Event(VitalSign vital, DateTimeOffset at, DateTimeOffset from, DateTimeOffset to)
    {
        if (at > from && at <= to)
        {
            buffer.Add(new SimulatedReading(vital.Key, at, 1, null, vital.CanonicalUnit));
        }
    }

    private bool IsHypoglycaemic(DateTimeOffset time) => Kind == DeviceKind.GlucoseMeter && patient.At(time).Glucose < 70;

    private void MeasureAt(DateTimeOffset time)
    {
        var state = patient.At(time);
        switch (Kind)
        {
            case DeviceKind.PulseOximeter:
                var spo2 = Math.Round(state.SpO2 + random.Gaussian(0, 0.8));
                if (random.NextDouble() < 0.003)
                {
                    spo2 -= 8 + random.Next(8); // motion artefact
                }

                var pulse = Math.Round(state.HeartRate + random.Gaussian(0, 1.5));
                if (random.NextDouble() < 0.002)
                {
                    pulse *= 1.6; // double-counted beats
                }

                Add(VitalSignCatalogue.OxygenSaturation, time, Math.Min(spo2, 100));
                Add(VitalSignCatalogue.HeartRate, time, pulse);
                break;
            case DeviceKind.WearableBand:
                Add(VitalSignCatalogue.HeartRate, time, Math.Round(state.HeartRate + random.Gaussian(0, 2)));
                Add(VitalSignCatalogue.RespiratoryRate, time, Math.Round(state.RespiratoryRate + random.Gaussian(0, 0.8)));
                var activity = patient.Activity(time);
                var steps = activity > 0.15 ? Math.Round(activity * 110 * (0.8 + 0.4 * random.NextDouble())) : 0;
                Add(VitalSignCatalogue.StepCount, time, steps);
                break;
            case DeviceKind.BloodPressureCuff:
                var systolic = Clamp(VitalSignCatalogue.BloodPressure.Components[0].Plausible, Math.Round(state.Systolic + random.Gaussian(0, 5)));
                var diastolic = Clamp(VitalSignCatalogue.BloodPressure.Components[1].Plausible, Math.Round(state.Diastolic + random.Gaussian(0, 4)));
                buffer.Add(new SimulatedReading("blood-pressure", time, null,
                    new Dictionary<string, double> { ["systolic"] = systolic, ["diastolic"] = Math.Min(diastolic, systolic - 10) }, "mm[Hg]"));
                Add(VitalSignCatalogue.HeartRate, time, Math.Round(state.HeartRate + random.Gaussian(0, 2)));
                break;
            case DeviceKind.Scale:
                Add(VitalSignCatalogue.BodyWeight, time, Math.Round(state.Weight + random.Gaussian(0, 0.15), 1));
                break;
            case DeviceKind.GlucoseMeter:
                Add(VitalSignCatalogue.BloodGlucose, time, Math.Round(state.Glucose * (1 + random.Gaussian(0, 0.04))));
                break;
            case DeviceKind.Thermometer:
                Add(VitalSignCatalogue.BodyTemperature, time, Math.Round(state.Temperature + random.Gaussian(0, 0.1), 1));
                break;
        }
    }

    private void Add(VitalSign vital, DateTimeOffset time, double value) =>
        buffer.Add(new SimulatedReading(vital.Key, time, Clamp(vital.Plausible, value), null, vital.CanonicalUnit));

    // A simulated value never leaves what a real body can show, so the server never refuses one.
    private static double Clamp(PlausibleRange range, double value) => Math.Clamp(value, range.Min, range.Max);
}
