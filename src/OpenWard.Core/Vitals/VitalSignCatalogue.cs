namespace OpenWard.Core.Vitals;

/// <summary>
/// The vital signs OpenWard understands. Every reading names one of these by <see cref="VitalSign.Key"/>;
/// values are stored in the sign's canonical UCUM unit.
/// </summary>
public static class VitalSignCatalogue
{
    /// <summary>Milligrams per decilitre of glucose in one millimole per litre (molar mass 180.16 g/mol).</summary>
    public const double GlucoseMgPerDlPerMmolPerL = 18.016;

    /// <summary>Millimetres of mercury in one kilopascal.</summary>
    public const double MmHgPerKPa = 7.500617;

    /// <summary>Heart rate, beats per minute.</summary>
    public static readonly VitalSign HeartRate = new()
    {
        Key = "heart-rate",
        Display = "Heart rate",
        Loinc = "8867-4",
        Mdc = new MdcCode("MDC_ECG_HEART_RATE", 147842),
        CanonicalUnit = "/min",
        Units = [new UnitConversion("/min", 1), new UnitConversion("{beats}/min", 1)],
        Plausible = new PlausibleRange(20, 300),
    };

    /// <summary>Oxygen saturation by pulse oximetry, percent.</summary>
    public static readonly VitalSign OxygenSaturation = new()
    {
        Key = "spo2",
        Display = "Oxygen saturation (SpO2)",
        Loinc = "59408-5",
        Mdc = new MdcCode("MDC_PULS_OXIM_SAT_O2", 150456),
        CanonicalUnit = "%",
        Units = [new UnitConversion("%", 1)],
        Plausible = new PlausibleRange(40, 100),
    };

    /// <summary>Respiratory rate, breaths per minute.</summary>
    public static readonly VitalSign RespiratoryRate = new()
    {
        Key = "respiratory-rate",
        Display = "Respiratory rate",
        Loinc = "9279-1",
        Mdc = new MdcCode("MDC_RESP_RATE", 151562),
        CanonicalUnit = "/min",
        Units = [new UnitConversion("/min", 1), new UnitConversion("{breaths}/min", 1)],
        Plausible = new PlausibleRange(2, 80),
    };

    /// <summary>Non-invasive blood pressure with systolic, diastolic and (optional) mean components.</summary>
    public static readonly VitalSign BloodPressure = new()
    {
        Key = "blood-pressure",
        Display = "Blood pressure",
        Loinc = "85354-9",
        Mdc = new MdcCode("MDC_PRESS_BLD_NONINV", 150020),
        CanonicalUnit = "mm[Hg]",
        Units = [new UnitConversion("mm[Hg]", 1), new UnitConversion("kPa", MmHgPerKPa)],
        Components =
        [
            new VitalComponent
            {
                Key = "systolic",
                Display = "Systolic blood pressure",
                Loinc = "8480-6",
                Mdc = new MdcCode("MDC_PRESS_BLD_NONINV_SYS", 150021),
                Plausible = new PlausibleRange(40, 300),
            },
            new VitalComponent
            {
                Key = "diastolic",
                Display = "Diastolic blood pressure",
                Loinc = "8462-4",
                Mdc = new MdcCode("MDC_PRESS_BLD_NONINV_DIA", 150022),
                Plausible = new PlausibleRange(20, 200),
            },
            new VitalComponent
            {
                Key = "mean",
                Display = "Mean arterial pressure",
                Loinc = "8478-0",
                Mdc = new MdcCode("MDC_PRESS_BLD_NONINV_MEAN", 150023),
                Plausible = new PlausibleRange(30, 250),
                Required = false,
            },
        ],
    };

    /// <summary>Body temperature, degrees Celsius.</summary>
    public static readonly VitalSign BodyTemperature = new()
    {
        Key = "body-temperature",
        Display = "Body temperature",
        Loinc = "8310-5",
        Mdc = new MdcCode("MDC_TEMP_BODY", 150364),
        CanonicalUnit = "Cel",
        Units = [new UnitConversion("Cel", 1), new UnitConversion("[degF]", 5.0 / 9.0, -32.0 * 5.0 / 9.0)],
        Plausible = new PlausibleRange(25, 45),
    };

    /// <summary>Body weight, kilograms.</summary>
    public static readonly VitalSign BodyWeight = new()
    {
        Key = "body-weight",
        Display = "Body weight",
        Loinc = "29463-7",
        Mdc = new MdcCode("MDC_MASS_BODY_ACTUAL", 188736),
        CanonicalUnit = "kg",
        Units = [new UnitConversion("kg", 1), new UnitConversion("g", 0.001), new UnitConversion("[lb_av]", 0.45359237)],
        Plausible = new PlausibleRange(0.3, 500),
    };

    /// <summary>Capillary blood glucose, milligrams per decilitre (mmol/L accepted and converted).</summary>
    public static readonly VitalSign BloodGlucose = new()
    {
        Key = "blood-glucose",
        Display = "Blood glucose",
        Loinc = "2339-0",
        Mdc = new MdcCode("MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD", 160184),
        CanonicalUnit = "mg/dL",
        Units = [new UnitConversion("mg/dL", 1), new UnitConversion("mmol/L", GlucoseMgPerDlPerMmolPerL)],
        Plausible = new PlausibleRange(10, 1000),
    };

    /// <summary>Steps counted by a pedometer or wearable since its previous report.</summary>
    public static readonly VitalSign StepCount = new()
    {
        Key = "step-count",
        Display = "Step count",
        Loinc = "55423-8",
        // No IEEE 11073-10441 term for a step count has been verified yet; LOINC identifies it.
        Mdc = null,
        CanonicalUnit = "{steps}",
        Units = [new UnitConversion("{steps}", 1), new UnitConversion("1", 1)],
        Plausible = new PlausibleRange(0, 100_000),
    };

    /// <summary>The patient pressed the help button of a personal emergency response device (pendant, wristband, base unit).</summary>
    public static readonly VitalSign EmergencyCall = Event("emergency-call", "Emergency call (help button)");

    /// <summary>A personal emergency response device or wearable detected a fall.</summary>
    public static readonly VitalSign Fall = Event("fall", "Fall detected");

    /// <summary>The device's remaining battery charge (Bluetooth Battery Level, or reported by the device), percent.</summary>
    public static readonly VitalSign DeviceBattery = new()
    {
        Key = "device-battery",
        Display = "Device battery",
        Loinc = null,
        Mdc = null,
        CanonicalUnit = "%",
        Units = [new UnitConversion("%", 1)],
        Plausible = new PlausibleRange(0, 100),
        IsDeviceStatus = true,
    };

    /// <summary>Every vital sign in the catalogue.</summary>
    public static IReadOnlyList<VitalSign> All { get; } =
    [
        HeartRate, OxygenSaturation, RespiratoryRate, BloodPressure,
        BodyTemperature, BodyWeight, BloodGlucose, StepCount, EmergencyCall, Fall, DeviceBattery,
    ];

    // Events carry 1 in {event}. No LOINC or IEEE 11073 term has been verified for them; the key names them.
    private static VitalSign Event(string key, string display) => new()
    {
        Key = key,
        Display = display,
        Loinc = null,
        Mdc = null,
        CanonicalUnit = "{event}",
        Units = [new UnitConversion("{event}", 1)],
        Plausible = new PlausibleRange(1, 1),
        IsEvent = true,
    };

    private static readonly Dictionary<string, VitalSign> ByKey =
        All.ToDictionary(v => v.Key, StringComparer.Ordinal);

    /// <summary>Finds a vital sign by its catalogue key, or returns null.</summary>
    public static VitalSign? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>
    /// The name of a measure as rules use it — a vital sign (<c>heart-rate</c>) or a component of one
    /// (<c>blood-pressure.systolic</c>) — or null when the catalogue has no such measure.
    /// </summary>
    public static string? DisplayOf(string measure)
    {
        var parts = measure.Split('.');
        var vital = Find(parts[0]);
        return parts.Length > 1 ? vital?.FindComponent(parts[1])?.Display : vital?.Display;
    }
}
