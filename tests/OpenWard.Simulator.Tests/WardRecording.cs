using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Ward;

namespace OpenWard.Simulator.Tests;

/// <summary>Steps a simulated ward through time without a network and records every upload.</summary>
public sealed class WardRecording
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    public List<(SimulatedDevice Device, DateTimeOffset At, IReadOnlyList<SimulatedReading> Readings)> Uploads { get; } = [];

    public static WardRecording Run(WardPlan plan, TimeSpan history, TimeSpan duration, TimeSpan step, bool dropouts = true)
    {
        var ward = SimulatedWard.Create(plan, Start, history, dropouts);
        var recording = new WardRecording();
        for (var now = Start; now <= Start + duration; now += step)
        {
            foreach (var device in ward.Devices)
            {
                foreach (var upload in device.Step(now))
                {
                    recording.Uploads.Add((device, now, upload));
                }
            }
        }

        return recording;
    }

    public IEnumerable<SimulatedReading> Readings(string devicePrefix, string vital) =>
        Uploads.Where(u => u.Device.Id.StartsWith(devicePrefix, StringComparison.Ordinal)).SelectMany(u => u.Readings).Where(r => r.Vital == vital);
}
