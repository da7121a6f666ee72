using OpenWard.Server.Storage;

namespace OpenWard.Server.Notes;

/// <summary>Registers clinical notes: their table, the notes store and their endpoints.</summary>
public static class NotesSetup
{
    /// <summary>Adds the notes store.</summary>
    public static WebApplicationBuilder AddClinicalNotes(this WebApplicationBuilder builder)
    {
        builder.Services.AddFeatureSchema(NotesSchema.Definition);
        builder.Services.AddSingleton<ClinicalNotes>();
        return builder;
    }

    /// <summary>Maps the notes endpoints.</summary>
    public static WebApplication MapClinicalNotes(this WebApplication app)
    {
        app.MapNotesApi();
        return app;
    }
}
