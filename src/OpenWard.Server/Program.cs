using OpenWard.Server.Access;
using OpenWard.Server.Alerts;
using OpenWard.Server.Api;
using OpenWard.Server.Audit;
using OpenWard.Server.BulkExport;
using OpenWard.Server.DeadLetters;
using OpenWard.Server.Demo;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Fhir;
using OpenWard.Server.Gateway;
using OpenWard.Server.Hl7;
using OpenWard.Server.Hosting;
using OpenWard.Server.Identity;
using OpenWard.Server.Ingest;
using OpenWard.Server.Monitoring;
using OpenWard.Server.Notes;
using OpenWard.Server.Patients;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Readings;
using OpenWard.Server.Smart;
using OpenWard.Server.Storage;
using OpenWard.Server.WardOverview;

namespace OpenWard.Server;

/// <summary>The OpenWard server: what it is made of — the host and its store, then each feature with one Add and one Map.</summary>
public static class Program
{
    /// <summary>Runs the server until it is stopped.</summary>
    public static async Task Main(string[] args)
    {
        await using var app = await BuildAsync(args);
        await app.RunAsync();
    }

    /// <summary>
    /// Builds the server, its data directory prepared, ready to start. <paramref name="addServices"/>
    /// lets a test host add services (such as a log capture) without changing any part.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(
        string[] args, CancellationToken cancellationToken = default, Action<IServiceCollection>? addServices = null)
    {
        // Settings files ship beside the binary; relative data paths resolve against the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = NetworkListeners.KeepUrlsFromHost(DemoSetup.TranslateArguments(args)),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddOpenWardOptions();
        builder.AddNetworkListeners();
        builder.AddWebHardening();
        builder.AddRequestBodyProblems();
        builder.AddClinicalStorage();
        builder.AddEncryptionAtRest();
        // Features. Background services start in this order and stop in reverse: the ways in stop
        // before the group commit they hand to, which drains what was queued.
        builder.AddReadings();
        builder.AddAuditTrail();
        builder.AddPatients(); // before people: their tables refer to patients (migrations run in this order)
        builder.AddPeople();
        builder.AddIdentity();
        builder.AddSmartBackendServices();
        builder.AddPatientAccess();
        builder.AddDeviceFleet();
        builder.AddDeviceModels();
        builder.AddDeadLetters();
        builder.AddIngestPipeline();
        builder.AddDeviceGateway();
        builder.AddHl7Senders();
        builder.AddAlerting();
        builder.AddWardOverview();
        builder.AddPatientMonitoring();
        builder.AddClinicalNotes();
        builder.AddBulkExport();
        builder.AddFhirApi();
        builder.AddDemoWard();
        addServices?.Invoke(builder.Services);

        var app = builder.Build();
        await app.PrepareClinicalStorageAsync(cancellationToken);
        await app.PrepareEncryptionAtRestAsync(cancellationToken);
        await app.PrepareDeviceFleetAsync(cancellationToken);
        await app.PrepareDeviceModelsAsync(cancellationToken);
        await app.PrepareIdentityAsync(cancellationToken);
        await app.PrepareHl7SendersAsync(cancellationToken);

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseWebHardening();
        app.UseWebConsole();
        // Before authentication: OpenIddict checks client secrets there, and guessing them must be limited too.
        app.UseRateLimiter();
        // Before authentication too, so that token requests OpenIddict refuses there are in the trail.
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthentication();
        app.UseEndedSessionRefusal();
        app.UseSmartScopeBoundary();
        app.UseAuthorization();
        app.UseRequestBodyProblems();

        app.MapReadiness();
        app.MapDeviceGateway();
        app.MapAuditTrail();
        app.MapPeople();
        app.MapIdentity();
        app.MapSmartBackendServices();
        app.MapPatientAccess();
        app.MapPatients();
        app.MapDeviceFleet();
        app.MapDeviceModels();
        app.MapDeadLetters();
        app.MapHl7Senders();
        app.MapAlerting();
        app.MapClinicalNotes();
        app.MapWardOverview();
        app.MapBulkExport();
        app.MapFhirApi();
        return app;
    }
}
