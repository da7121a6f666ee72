namespace OpenWard.Simulator.Physiology;

/// <summary>A patient's true physiological values at one moment, before any measurement error.</summary>
public readonly record struct VitalState(
    double HeartRate,
    double RespiratoryRate,
    double SpO2,
    double Systolic,
    double Diastolic,
    double Temperature,
    double Weight,
    double Glucose);
