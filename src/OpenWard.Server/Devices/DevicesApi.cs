using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Server.Access;
using OpenWard.Server.Api;
using OpenWard.Server.Patients;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Devices;

/// <summary>The device fleet: register (secret shown once), list, assign to a patient, revoke.</summary>
public static class DevicesApi
{
    /// <summary>A device to register.</summary>
    public sealed record NewDevice(string Id, string Model, string Serial, string? Firmware = null);

    /// <summary>The firmware version a device now runs.</summary>
    public sealed record FirmwareVersion(string? Version);

    /// <summary>A registered device and its secret, shown once.</summary>
    public sealed record RegisteredDevice(string Id, string Model, string Serial, DateTimeOffset RegisteredAt, string Secret, string? Firmware = null);

    /// <summary>An assignment of a device to a patient from a moment on (default now).</summary>
    public sealed record NewAssignment(string PatientId, DateTimeOffset? From);

    /// <summary>Maps the device fleet endpoints.</summary>
    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/api/v1/devices").RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Devices");
        devices.MapGet("/", ListAsync);
        devices.MapGet("/{deviceId}", FindAsync);
        devices.MapPost("/", RegisterAsync);
        devices.MapPost("/{deviceId}/assignment", AssignAsync);
        devices.MapPost("/{deviceId}/revoke", RevokeAsync);
        devices.MapPost("/{deviceId}/secret", RotateSecretAsync);
        devices.MapPut("/{deviceId}/certificate", PinCertificateAsync);
        devices.MapPut("/{deviceId}/firmware", RecordFirmwareAsync);
        app.MapGet("/api/v1/device-status", StatusAsync).RequireAuthorization(AccessPolicies.ManageFleet).WithTags("Devices");
        return app;
    }

    // Telemetry about the devices themselves (connection, last message, battery, publishes on others' topics), not about patients.
    private static async Task<Ok<IReadOnlyList<DeviceStatus>>> StatusAsync(
        DeviceRegistry registry, DeviceConnectivity connectivity, DeadLetters.DeadLetterQueries deadLetters, CancellationToken cancellationToken)
    {
        var refusedTopics = await deadLetters.RefusedTopicCountsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<DeviceStatus>>([.. (await registry.ListAsync(cancellationToken)).Select(d =>
            new DeviceStatus(d.Id, connectivity.IsConnected(d.Id), connectivity.LastSeen(d.Id), connectivity.Battery(d.Id), refusedTopics.GetValueOrDefault(d.Id)))]);
    }

    private static async Task<Results<Ok<Device>, ProblemHttpResult>> RecordFirmwareAsync(
        string deviceId, FirmwareVersion request, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.RecordFirmwareAsync(deviceId, request.Version, cancellationToken);
        return outcome.Problem == ProblemKind.None ? TypedResults.Ok(outcome.Value!) : OutcomeResults.Problem(outcome);
    }

    // Every match, or one page of them with X-Total-Count and Link (first, prev, next, last) headers.
    private static async Task<Results<Ok<List<FleetDevice>>, ValidationProblem>> ListAsync(
        [AsParameters] FleetQuery query, HttpContext context, DeviceRegistry registry, DeviceConnectivity connectivity, PatientRegistry patients,
        CancellationToken cancellationToken)
    {
        if (query.Problems() is { Count: > 0 } problems)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var roster = (await patients.ListAsync(cancellationToken)).ToDictionary(p => p.Id);
        var matching = query.Filter((await registry.ListAsync(cancellationToken)).Select(d =>
        {
            var patient = d.PatientId is null ? null : roster.GetValueOrDefault(d.PatientId);
            return new FleetDevice
            {
                Id = d.Id, Model = d.Model, Serial = d.Serial, RegisteredAt = d.RegisteredAt, RevokedAt = d.RevokedAt, Firmware = d.Firmware,
                PatientId = d.PatientId, PatientName = patient?.Name, PatientMrn = patient?.Mrn,
                Connected = connectivity.IsConnected(d.Id), LastSeenAt = connectivity.LastSeen(d.Id), BatteryPercent = connectivity.Battery(d.Id),
            };
        })).ToList();
        context.Response.Headers["X-Total-Count"] = matching.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!query.Paged)
        {
            return TypedResults.Ok(matching);
        }

        var (page, size, pages) = query.PageOf(matching.Count);
        context.Response.Headers.Link = FleetLinks.For(context.Request, page, pages);
        return TypedResults.Ok(matching.Skip((page - 1) * size).Take(size).ToList());
    }

    private static async Task<Results<Ok<Device>, NotFound>> FindAsync(string deviceId, DeviceRegistry registry, CancellationToken cancellationToken) =>
        await registry.FindAsync(deviceId, cancellationToken) is { } device ? TypedResults.Ok(device) : TypedResults.NotFound();

    private static async Task<Results<Created<RegisteredDevice>, ProblemHttpResult>> RegisterAsync(
        NewDevice request, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.RegisterAsync(request.Id ?? "", request.Model ?? "", request.Serial ?? "", cancellationToken, request.Firmware);
        if (outcome.Problem != ProblemKind.None)
        {
            return OutcomeResults.Problem(outcome);
        }

        var (device, secret) = outcome.Value;
        return TypedResults.Created($"/api/v1/devices/{device.Id}",
            new RegisteredDevice(device.Id, device.Model, device.Serial, device.RegisteredAt, secret, device.Firmware));
    }

    private static async Task<Results<Ok<AssignmentPeriod>, ProblemHttpResult>> AssignAsync(
        string deviceId, NewAssignment request, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.AssignAsync(deviceId, request.PatientId ?? "", request.From, cancellationToken);
        return outcome.Problem == ProblemKind.None ? TypedResults.Ok(outcome.Value!) : OutcomeResults.Problem(outcome);
    }

    /// <summary>The client certificate a device must present over MQTT with TLS (PEM), or null to stop requiring one.</summary>
    public sealed record CertificatePin(string? CertificatePem);

    /// <summary>The pinned certificate's SHA-256 fingerprint, or null when none is pinned.</summary>
    public sealed record PinnedCertificate(string Id, string? CertificateSha256);

    private static async Task<Results<Ok<PinnedCertificate>, ProblemHttpResult>> PinCertificateAsync(
        string deviceId, CertificatePin request, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.PinCertificateAsync(deviceId, request.CertificatePem, cancellationToken);
        if (outcome.Problem != ProblemKind.None)
        {
            return OutcomeResults.Problem(outcome);
        }

        return TypedResults.Ok(new PinnedCertificate(deviceId, outcome.Value));
    }

    /// <summary>A device's new secret, shown once.</summary>
    public sealed record RotatedSecret(string Id, string Secret);

    private static async Task<Results<Ok<RotatedSecret>, ProblemHttpResult>> RotateSecretAsync(
        string deviceId, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.RotateSecretAsync(deviceId, cancellationToken);
        if (outcome.Problem != ProblemKind.None)
        {
            return OutcomeResults.Problem(outcome);
        }

        return TypedResults.Ok(new RotatedSecret(deviceId, outcome.Value!));
    }

    private static async Task<Results<Ok<Device>, ProblemHttpResult>> RevokeAsync(
        string deviceId, DeviceRegistry registry, CancellationToken cancellationToken)
    {
        var outcome = await registry.RevokeAsync(deviceId, cancellationToken);
        if (outcome.Problem != ProblemKind.None)
        {
            return OutcomeResults.Problem(outcome);
        }

        return TypedResults.Ok(outcome.Value!);
    }
}
