namespace OpenWard.Simulator.Physiology;

/// <summary>Gaussian noise from a seeded random source.</summary>
public static class Noise
{
    /// <summary>A normally distributed value (Box–Muller).</summary>
    public static double Gaussian(this Random random, double mean, double standardDeviation)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return mean + standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Sin(2.0 * Math.PI * u2);
    }
}
