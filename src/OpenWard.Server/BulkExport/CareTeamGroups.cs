using System.Text.Json;
using Hl7.Fhir.Model;
using CareTeam = OpenWard.Server.People.CareTeam;
using OpenWard.Fhir;

namespace OpenWard.Server.BulkExport;

/// <summary>A care team as a FHIR Group: an actual group of people (its patients), named as the hospital names the team.</summary>
public static class CareTeamGroups
{
    /// <summary>The Group's FHIR JSON.</summary>
    public static string Json(CareTeam team, IReadOnlyList<string> patientIds)
    {
        var group = new Group
        {
            Id = team.Id,
            Type = Group.GroupType.Person,
            Actual = true,
            Name = team.Name,
            Quantity = patientIds.Count,
            Member = [.. patientIds.Select(id => new Group.MemberComponent { Entity = new ResourceReference("Patient/" + id) })],
        };
        return JsonSerializer.Serialize<Resource>(group, FhirJson.Options);
    }
}
