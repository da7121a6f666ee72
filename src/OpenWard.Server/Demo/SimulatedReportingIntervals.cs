using Microsoft.Extensions.Options;
using OpenWard.Server.Alerts;
using OpenWard.Simulator.Devices;

namespace OpenWard.Server.Demo;

/// <summary>
/// How often the simulated spot-check devices report (the demo ward's and <c>openward simulate</c>'s: a scale once a
/// day, a glucose meter overnight at the longest), given to <c>OpenWard:Alerting:ReportingIntervals</c> by model, so that
/// a simulated scale that dropped its connection is not reported offline a quarter of an hour later but a day and a half
/// later, as a real scale of a configured model would be. A model the configuration names keeps the configured interval.
/// </summary>
public sealed class SimulatedReportingIntervals : IPostConfigureOptions<AlertingOptions>
{
    /// <inheritdoc />
    public void PostConfigure(string? name, AlertingOptions options)
    {
        foreach (var kind in Enum.GetValues<DeviceKind>())
        {
            if (DeviceCatalogue.ReportingInterval(kind) is { } interval)
            {
                options.ReportingIntervals.TryAdd(DeviceCatalogue.Model(kind), interval);
            }
        }
    }
}
