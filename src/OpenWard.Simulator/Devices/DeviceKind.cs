namespace OpenWard.Simulator.Devices;

/// <summary>The kinds of device a simulated patient can have.</summary>
public enum DeviceKind
{
    /// <summary>Fingertip pulse oximeter: SpO2 and pulse rate every second.</summary>
    PulseOximeter,

    /// <summary>Wrist band: heart rate, respiratory rate and steps every minute, uploaded every 5 minutes.</summary>
    WearableBand,

    /// <summary>Upper-arm cuff: blood pressure and pulse three times a day.</summary>
    BloodPressureCuff,

    /// <summary>Bathroom scale: weight every morning.</summary>
    Scale,

    /// <summary>Glucose meter (patients with diabetes): four times a day.</summary>
    GlucoseMeter,

    /// <summary>Thermometer: twice a day.</summary>
    Thermometer,

    /// <summary>Personal emergency pendant: reports a fall, and help-button presses, when they happen.</summary>
    EmergencyPendant,
}
