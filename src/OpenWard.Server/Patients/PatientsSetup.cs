using OpenWard.Server.Hosting;
using OpenWard.Server.Storage;

namespace OpenWard.Server.Patients;

/// <summary>Registers the patients: their table and registry.</summary>
public static class PatientsSetup
{
    /// <summary>Adds the patient registry.</summary>
    public static WebApplicationBuilder AddPatients(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(PatientsSchema.Definition);
        builder.Services.AddSingleton<PatientRegistry>();
        builder.AddValidatedOptions<DisplayOptions>(DisplayOptions.Section);
        return builder;
    }

    /// <summary>Maps the patients' endpoints: records, vitals and how they are shown, manual readings and who read the record.</summary>
    public static WebApplication MapPatients(this WebApplication app)
    {
        app.MapPatientsApi();
        app.MapVitalsApi();
        app.MapDisplayApi();
        app.MapManualReadingsApi();
        app.MapAccessLogApi();
        return app;
    }
}
