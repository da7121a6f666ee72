using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using OpenWard.Server.Access;
using OpenWard.Server.Devices;
using OpenWard.Server.Hosting;
using OpenWard.Server.Identity;
using OpenWard.Server.Patients;
using OpenWard.Server.People;
using OpenWard.Server.Storage;
using OpenWard.Simulator.Devices;
using OpenWard.Simulator.Mqtt;
using OpenWard.Simulator.Ward;

namespace OpenWard.Server.Demo;

/// <summary>
/// Demo mode: on the first start seeds a ward of simulated patients with their devices (and days of
/// past readings), writes <c>demo-credentials.json</c>, then runs the simulated devices against this
/// server over real MQTT for as long as it runs.
/// </summary>
public sealed partial class DemoWard(
    IOptions<OpenWardOptions> options,
    IOptions<DemoOptions> demo,
    IServiceScopeFactory scopes,
    PatientRegistry patients,
    DeviceRegistry devices,
    CareTeams careTeams,
    UserDirectory users,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DemoWard> logger) : BackgroundService, IHostedLifecycleService
{
    private const string DevicePrefix = "demo-";

    // The simulated devices stop first when the server stops, before the server closes device connections.
    private readonly CancellationTokenSource devicesStop = new();
    private Task devicesRunning = Task.CompletedTask;

    /// <summary>The running simulation's counters, once it runs.</summary>
    public SimulationStatistics? Statistics { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!demo.Value.Enabled)
        {
            return;
        }

        if (options.Value.Mqtt.Port == 0)
        {
            LogNoMqtt(logger);
            return;
        }

        // The devices connect to this server's own broker, so wait until it listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        var dataPath = options.Value.DataPath;
        var plan = WardPlan.Create(demo.Value.Patients, demo.Value.Seed, DevicePrefix, WardPlan.DemoScenarios);
        var start = clock.GetUtcNow();
        var credentials = DemoCredentials.Read(dataPath);
        var history = TimeSpan.Zero;
        if (credentials is null)
        {
            history = TimeSpan.FromDays(demo.Value.HistoryDays);
            credentials = await SeedAsync(plan, start - history - TimeSpan.FromMinutes(1), stoppingToken);
            if (credentials is null)
            {
                return;
            }

            credentials.Write(dataPath);
        }

        var known = credentials.Devices.ToDictionary(d => d.Id, d => new DeviceCredential(d.Id, d.Secret), StringComparer.Ordinal);
        var seededPlan = plan with { Patients = [.. plan.Patients.Where(p => p.Devices.All(d => known.ContainsKey(d.Id)))] };
        var ward = SimulatedWard.Create(seededPlan, start, history);
        var runner = new WardRunner(ward, known, "127.0.0.1", options.Value.Mqtt.Port, clock);
        Statistics = runner.Statistics;
        LogDemoRunning(logger, seededPlan.Patients.Count, ward.Devices.Count, demo.Value.Seed,
            Path.Combine(dataPath, DemoCredentials.FileName),
            string.Join(", ", seededPlan.Patients.SelectMany(p => p.Scenarios).Distinct()));

        using var running = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, devicesStop.Token);
        devicesRunning = Task.WhenAll(runner.RunAsync(running.Token), ReportAsync(runner.Statistics, running.Token));
        await devicesRunning;
    }

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await devicesStop.CancelAsync();
        await devicesRunning.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Dispose()
    {
        devicesStop.Dispose();
        base.Dispose();
    }

    private async Task<DemoCredentials?> SeedAsync(WardPlan plan, DateTimeOffset assignedFrom, CancellationToken cancellationToken)
    {
        var seeded = new List<DemoDevice>();
        var ward = await careTeams.AddAsync("Demo virtual ward", cancellationToken);
        if (ward.Problem != ProblemKind.None)
        {
            LogSeedFailed(logger, ward.Reason!);
            return null;
        }

        foreach (var planned in plan.Patients)
        {
            var patient = await patients.AddAsync(planned.Name, mrn: null, careTeamId: ward.Value!.Id, cancellationToken);
            foreach (var device in planned.Devices)
            {
                var model = DeviceCatalogue.Model(device.Kind);
                var registered = await devices.RegisterAsync(device.Id, model, "SIM-" + device.Id, cancellationToken);
                if (registered.Problem != ProblemKind.None)
                {
                    LogSeedFailed(logger, registered.Reason!);
                    return null;
                }

                await devices.AssignAsync(device.Id, patient.Value!.Id, assignedFrom, cancellationToken);
                seeded.Add(new DemoDevice(device.Id, registered.Value.Secret, patient.Value!.Id, model));
            }
        }

        await using var scope = scopes.CreateAsyncScope();
        var client = await scope.ServiceProvider.GetRequiredService<ApiClients>()
            .CreateAsync("Demo ward", ClientRoles.Administrator, cancellationToken);
        var people = await SeedPeopleAsync(ward.Value!.Id, seeded[0].PatientId, plan.Patients[0].Name, cancellationToken);
        return new DemoCredentials { ClientId = client.ClientId, ClientSecret = client.ClientSecret, Users = people, Devices = seeded };
    }

    // A clinician and a nurse on the demo ward, an administrator, and the first patient's own account (under the patient's
    // own name, so clinicians and the portal show one name for one person); random passwords.
    private async Task<IReadOnlyList<DemoUser>> SeedPeopleAsync(string wardId, string firstPatientId, string firstPatientName, CancellationToken cancellationToken)
    {
        var people = new List<DemoUser>();
        string? clinicianId = null;
        foreach (var (userName, displayName, role) in new[]
        {
            ("demo-clinician", "Dr Demo Clinician", UserRoles.Clinician),
            ("demo-nurse", "Demo Nurse", UserRoles.Nurse),
            ("demo-admin", "Demo Administrator", UserRoles.Administrator),
            ("demo-patient", firstPatientName, UserRoles.Patient),
        })
        {
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', '-').Replace('/', '_');
            var user = await users.AddAsync(userName, displayName, role, password, role == UserRoles.Patient ? firstPatientId : null, cancellationToken);
            if (user.Problem != ProblemKind.None)
            {
                LogSeedFailed(logger, user.Reason!);
                continue;
            }

            if (role is UserRoles.Clinician or UserRoles.Nurse)
            {
                await careTeams.AddMemberAsync(wardId, user.Value!.Id, cancellationToken);
                clinicianId ??= user.Value.Id;
            }

            // The demo patient's account is confirmed by the demo clinician, as a care team would.
            if (role == UserRoles.Patient && clinicianId is not null)
            {
                await users.ConfirmPortalAccountAsync(firstPatientId, user.Value!.Id, clinicianId, cancellationToken);
            }

            people.Add(new DemoUser(userName, password, role));
        }

        return people;
    }

    private async Task ReportAsync(SimulationStatistics statistics, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                LogProgress(logger, statistics.MessagesAcknowledged, statistics.ReadingsAcknowledged, statistics.MessagesRefused, statistics.DevicesOnline);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the server.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = """
        Demo ward running: {Patients} simulated patients, {Devices} simulated devices (seed {Seed}).
          Sign-ins (demo-clinician, demo-nurse, demo-admin, demo-patient), API client and device credentials: {CredentialsFile}
          Try: openward patients list (the README's walkthrough installs the openward command)
          Scripted deteriorations: {Scenarios} (which patient, and when each alert comes: the README's demo table)
        """)]
    private static partial void LogDemoRunning(ILogger logger, int patients, int devices, int seed, string credentialsFile, string scenarios);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo ward: {Messages} messages and {Readings} readings acknowledged, {Refused} refused, {Online} devices online")]
    private static partial void LogProgress(ILogger logger, long messages, long readings, long refused, int online);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo ward not started: plain MQTT is turned off (OpenWard:Mqtt:Port=0) and the simulated devices connect over it")]
    private static partial void LogNoMqtt(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Demo ward not seeded: {Reason}. Its devices exist but demo-credentials.json is gone; start with a fresh data directory")]
    private static partial void LogSeedFailed(ILogger logger, string reason);
}
