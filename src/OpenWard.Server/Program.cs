using OpenWard.Server.Access;
using OpenWard.Server.Alerts;
using OpenWard.Server.Audit;
using OpenWard.Server.DeadLetters;
using OpenWard.Server.Demo;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Gateway;
using OpenWard.Server.Hl7;
using OpenWard.Server.Hosting;
using OpenWard.Server.Identity;
using OpenWard.Server.Monitoring;
using OpenWard.Server.Notes;
using OpenWard.Server.Patients;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Readings;
using OpenWard.Server.Storage;
using OpenWard.Server.WardOverview;

namespace OpenWard.Server;

/// <summary>The OpenWard server: what it is made of, in the order a reading flows through it.</summary>
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
            Args = DemoSetup.TranslateArguments(args),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddOpenWardOptions();
        builder.AddNetworkListeners();
        builder.AddWebHardening();
        builder.AddClinicalStorage();
        builder.AddEncryptionAtRest();
        builder.AddReadings();
        builder.AddAuditTrail();
        builder.AddIdentity();
        builder.AddPatients();
        builder.AddDeviceFleet();
        builder.AddDeviceModels();
        builder.AddDeadLetters();
        builder.AddDeviceGateway();
        builder.AddHl7Senders();
        builder.AddPatientMonitoring();
        builder.AddAlerting();
        builder.AddClinicalNotes();
        builder.AddWardOverview();
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
        app.UseAuthorization();
        app.UseDeviceGateway();

        app.MapSignInPage();
        app.MapAuthorizeEndpoint();
        app.MapTokenEndpoint();
        app.MapDeviceIngestApi();
        app.MapFhirIngestApi();
        app.MapAuditApi();
        app.MapAccessLogApi();
        app.MapDevicesApi();
        app.MapHl7SendersApi();
        app.MapDeviceModelsApi();
        app.MapPatientsApi();
        app.MapVitalsApi();
        app.MapAlertsApi();
        app.MapDeadLettersApi();
        app.MapClientsApi();
        app.MapMeApi();
        app.MapUsersApi();
        app.MapPortalAccountsApi();
        app.MapCareTeamsApi();
        app.MapBreakGlassApi();
        app.MapEncryptionApi();
        app.MapWardApi();
        app.MapManualReadingsApi();
        app.MapNotesApi();
        return app;
    }
}
