using OpenWard.Simulator.Ward;

namespace OpenWard.Cli.Simulate;

/// <summary>What <c>openward simulate</c> was asked to run: the ward, its care team, where its devices connect, for how long (null: until stopped) and how it reports.</summary>
public sealed record SimulationRun(
    WardPlan Plan, SimulatedCareTeam CareTeam, TimeSpan History, string MqttHost, int MqttPort, bool Dropouts, TimeSpan? Duration, TimeSpan StatusEvery);
