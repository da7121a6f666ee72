namespace OpenWard.Cli.Bench;

/// <summary>What one setting of the rules cost over all its rounds.</summary>
public sealed record RuleEngineFigures(bool EarlyWarning, long Readings, double PatientDays, double CpuSeconds, double ElapsedSeconds)
{
    /// <summary>Processor time per reading, in microseconds.</summary>
    public double CpuMicrosecondsPerReading => CpuSeconds * 1e6 / Readings;

    /// <summary>Readings replayed per second of processor time.</summary>
    public double ReadingsPerCpuSecond => Readings / CpuSeconds;

    /// <summary>Patient-days replayed per second of wall-clock time.</summary>
    public double PatientDaysPerSecond => PatientDays / ElapsedSeconds;
}
