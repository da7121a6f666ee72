using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Core.Audit;

namespace OpenWard.Fhir;

/// <summary>The audit trail as FHIR R4 AuditEvents: a REST operation each, with who, from where, on which patient and how it ended.</summary>
public static class FhirAuditEvents
{
    private const string OpenWardActions = "urn:openward:audit-action";

    /// <summary>A searchset Bundle of the records as AuditEvents.</summary>
    public static string Bundle(IEnumerable<AuditRecord> records)
    {
        var bundle = new Bundle { Type = Hl7.Fhir.Model.Bundle.BundleType.Searchset };
        foreach (var record in records)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = Event(record) });
        }

        bundle.Total = bundle.Entry.Count;
        return JsonSerializer.Serialize<Resource>(bundle, FhirJson.Options);
    }

    /// <summary>One record as an AuditEvent.</summary>
    public static AuditEvent Event(AuditRecord record)
    {
        var method = record.Action.Split(' ')[0];
        var status = int.TryParse(record.Outcome, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : 0;
        var audit = new AuditEvent
        {
            Id = record.Sequence.ToString(CultureInfo.InvariantCulture),
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"),
            Subtype = [new Coding(OpenWardActions, record.Action)],
            Action = method switch
            {
                "GET" => AuditEvent.AuditEventAction.R,
                "POST" => AuditEvent.AuditEventAction.C,
                "PUT" => AuditEvent.AuditEventAction.U,
                "DELETE" => AuditEvent.AuditEventAction.D,
                _ => AuditEvent.AuditEventAction.E,
            },
            Recorded = record.At,
            Outcome = status switch
            {
                >= 500 => AuditEvent.AuditEventOutcome.N8,
                >= 400 => AuditEvent.AuditEventOutcome.N4,
                _ => AuditEvent.AuditEventOutcome.N0,
            },
            OutcomeDesc = "HTTP " + record.Outcome,
            Agent =
            [
                new AuditEvent.AgentComponent
                {
                    Who = new ResourceReference { Identifier = new Identifier { Value = record.Actor } },
                    Requestor = true,
                    Network = new AuditEvent.NetworkComponent { Address = record.Source, Type = AuditEvent.AuditEventAgentNetworkType.N2 },
                },
            ],
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "OpenWard" } },
        };
        if (record.PatientId is { } patient)
        {
            audit.Entity.Add(new AuditEvent.EntityComponent { What = new ResourceReference("Patient/" + patient) });
        }

        return audit;
    }
}
