using System.Reflection;
using Hl7.Fhir.Model;
using OpenWard.Fhir;

namespace OpenWard.Server.Fhir;

/// <summary>
/// <c>GET /fhir/metadata</c>: the CapabilityStatement of what this server does — each resource with
/// its interactions, search parameters and operations, the vital-signs profiles its Observations
/// claim, and the SMART security service with its OAuth endpoints.
/// </summary>
public static class FhirCapabilities
{
    private const string SmartOAuthUris = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private const string BulkData = "http://hl7.org/fhir/uv/bulkdata";

    /// <summary>The CapabilityStatement, its endpoints under <paramref name="root"/> (the server's address, without <c>/fhir</c>).</summary>
    public static CapabilityStatement Statement(string root)
    {
        var version = typeof(FhirCapabilities).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var security = new CapabilityStatement.SecurityComponent
        {
            Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR", "SMART-on-FHIR")],
            Description = "OAuth 2.0 bearer tokens from this server: people through the authorization code flow with PKCE, "
                + "API clients and backend services through client credentials. Each reads the patients it has a relationship with.",
        };
        security.Extension.Add(new Extension
        {
            Url = SmartOAuthUris,
            Extension =
            [
                new Extension("token", new FhirUri(root + "/connect/token")),
                new Extension("authorize", new FhirUri(root + "/connect/authorize")),
            ],
        });

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = "2026-12-06",
            Publisher = "OpenWard",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "OpenWard", Version = version.Split('+')[0] },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "OpenWard remote patient monitoring", Url = root + "/fhir" },
            Instantiates = [BulkData + "/CapabilityStatement/bulk-data"],
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Security = security,
                    Resource = [Observation(), Patient(), Device(), Flag(), Group(), AuditEvent()],
                    Interaction = [new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                        new CapabilityStatement.SystemInteractionComponent { Code = CapabilityStatement.SystemRestfulInteraction.Transaction }],
                },
            ],
        };
    }

    private static CapabilityStatement.ResourceComponent Observation()
    {
        var observation = Resource("Observation",
            [CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType, CapabilityStatement.TypeRestfulInteraction.Create],
            [("patient", SearchParamType.Reference, "clinical-patient"), ("category", SearchParamType.Token, "Observation-category"),
             ("code", SearchParamType.Token, "clinical-code"), ("date", SearchParamType.Date, "clinical-date")]);
        observation.SupportedProfile = [.. ObservationResources.Profiles()];
        observation.Operation.Add(new CapabilityStatement.OperationComponent { Name = "lastn", Definition = "http://hl7.org/fhir/OperationDefinition/Observation-lastn" });
        return observation;
    }

    private static CapabilityStatement.ResourceComponent Patient()
    {
        var patient = Resource("Patient",
            [CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType],
            [("identifier", SearchParamType.Token, "Patient-identifier")]);
        patient.Operation.Add(new CapabilityStatement.OperationComponent { Name = "export", Definition = BulkData + "/OperationDefinition/patient-export" });
        return patient;
    }

    private static CapabilityStatement.ResourceComponent Flag() => Resource("Flag",
        [CapabilityStatement.TypeRestfulInteraction.SearchType],
        [("patient", SearchParamType.Reference, "clinical-patient")]);

    // A care team is a Group, read and exported in bulk (BulkExport/).
    private static CapabilityStatement.ResourceComponent Group()
    {
        var group = Resource("Group", [CapabilityStatement.TypeRestfulInteraction.Read], []);
        group.Operation.Add(new CapabilityStatement.OperationComponent { Name = "export", Definition = BulkData + "/OperationDefinition/group-export" });
        return group;
    }

    private static CapabilityStatement.ResourceComponent Device() => Resource("Device",
        [CapabilityStatement.TypeRestfulInteraction.SearchType],
        [("patient", SearchParamType.Reference, "Device-patient")]);

    private static CapabilityStatement.ResourceComponent AuditEvent() => Resource("AuditEvent",
        [CapabilityStatement.TypeRestfulInteraction.SearchType],
        [("patient", SearchParamType.Reference, "AuditEvent-patient")]);

    private static CapabilityStatement.ResourceComponent Resource(
        string type, CapabilityStatement.TypeRestfulInteraction[] interactions, (string Name, SearchParamType Type, string Definition)[] parameters) => new()
    {
        Type = type,
        Profile = "http://hl7.org/fhir/StructureDefinition/" + type,
        Interaction = [.. interactions.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i })],
        SearchParam = [.. parameters.Select(p => new CapabilityStatement.SearchParamComponent
        {
            Name = p.Name,
            Type = p.Type,
            Definition = "http://hl7.org/fhir/SearchParameter/" + p.Definition,
        })],
    };
}
