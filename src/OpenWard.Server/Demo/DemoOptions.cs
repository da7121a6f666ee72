using System.ComponentModel.DataAnnotations;
using OpenWard.Simulator.Ward;

namespace OpenWard.Server.Demo;

/// <summary>The demo ward (<c>--demo</c>, or <c>OpenWard:Demo:Enabled=true</c>).</summary>
public sealed class DemoOptions
{
    /// <summary>Seed a demo ward and run simulated devices against this server.</summary>
    public bool Enabled { get; set; }

    /// <summary>Patients on the demo ward.</summary>
    [Range(1, 500)]
    public int Patients { get; set; } = WardPlan.DemoPatients;

    /// <summary>Seed of the simulation (same seed, same ward).</summary>
    public int Seed { get; set; } = WardPlan.DemoSeed;

    /// <summary>Days of past readings the devices upload when the ward is first seeded.</summary>
    [Range(0, 30)]
    public int HistoryDays { get; set; } = WardPlan.DemoHistoryDays;
}
