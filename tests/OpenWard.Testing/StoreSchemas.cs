using OpenWard.Server.Readings;
using OpenWard.Server.Storage;

namespace OpenWard.Testing;

/// <summary>Every feature's tables, for tests that start the store on its own, without the whole server.</summary>
public static class StoreSchemas
{
    /// <summary>Each feature's schema, as the server registers them.</summary>
    public static IReadOnlyList<FeatureSchema> Every { get; } =
    [
        ReadingsSchema.Definition,
        OpenWard.Server.Patients.PatientsSchema.Definition,
        OpenWard.Server.Devices.DevicesSchema.Definition,
        OpenWard.Server.DeadLetters.DeadLettersSchema.Definition,
        OpenWard.Server.DeviceModels.DeviceModelsSchema.Definition,
        OpenWard.Server.Audit.AuditSchema.Definition,
        OpenWard.Server.Protection.EncryptionSchema.Definition,
        OpenWard.Server.People.PeopleSchema.Definition,
        OpenWard.Server.Access.BreakGlassSchema.Definition,
        OpenWard.Server.Hl7.Hl7SendersSchema.Definition,
        OpenWard.Server.Alerts.AlertsSchema.Definition,
        OpenWard.Server.Notes.NotesSchema.Definition,
        OpenWard.Server.Smart.SmartSchema.Definition,
    ];

    /// <summary>The store on this data directory, with every feature's tables.</summary>
    public static SqliteClinicalDatabase Database(Microsoft.Extensions.Options.IOptions<OpenWard.Server.Hosting.OpenWardOptions> options) =>
        new(options, Every, TimeProvider.System);
}
