using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// Every endpoint of the server's own route table × every role and relationship: allowed or
/// denied, as the table below says. A new endpoint without a row fails the test, so none can
/// escape; a caller allowed where the table denies (a leak) or denied where it allows fails it too.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixWard ward) : IClassFixture<MatrixWard>
{
    private const string Anonymous = "anonymous";
    private const string AdministratorClient = "administrator client";
    private const string Integration = "integration client";
    private const string BackendService = "backend service (system/*.rs)";
    private const string AdministratorUser = "administrator (no team)";
    private const string ClinicianOwnTeam = "clinician, own team";
    private const string NurseOwnTeam = "nurse, own team";
    private const string ClinicianOtherTeam = "clinician, other team";
    private const string NurseOtherTeam = "nurse, other team";
    private const string PatientSelf = "patient, self";
    private const string PatientOther = "patient, other patient";
    private const string ClinicianBreakGlass = "clinician, break-glass";

    private static readonly string[] Administrators = [AdministratorClient, AdministratorUser];
    private static readonly string[] RelatedReaders = [Integration, ClinicianOwnTeam, NurseOwnTeam, PatientSelf, ClinicianBreakGlass];
    private static readonly string[] RelatedCarers = [ClinicianOwnTeam, NurseOwnTeam, ClinicianBreakGlass];
    private static readonly string[] RelatedClinicians = [ClinicianOwnTeam, ClinicianBreakGlass];
    private static readonly string[] Carers = [ClinicianOwnTeam, NurseOwnTeam, ClinicianOtherTeam, NurseOtherTeam, ClinicianBreakGlass];
    private static readonly string[] ReadingSubmitters = [AdministratorClient, Integration];
    // Through FHIR people read what they read through /api/v1; API clients only with SMART scopes: the backend
    // service's system/*.rs reads every patient, the integration client's token has none.
    private static readonly string[] FhirReaders = [ClinicianOwnTeam, NurseOwnTeam, PatientSelf, ClinicianBreakGlass, BackendService];
    // An integration client exports with a token carrying SMART scopes (the backend service's system/*.rs); the integration client's has none.
    private static readonly string[] Exporters = [BackendService, ClinicianOwnTeam, ClinicianOtherTeam, ClinicianBreakGlass];
    private static readonly string[] WardExporters = [BackendService, ClinicianOwnTeam];
    private static readonly string[] ExportRequesters = [Integration, BackendService, ClinicianOwnTeam, ClinicianOtherTeam, ClinicianBreakGlass];
    private static readonly string[] People =
        [AdministratorUser, ClinicianOwnTeam, NurseOwnTeam, ClinicianOtherTeam, NurseOtherTeam, PatientSelf, PatientOther, ClinicianBreakGlass];
    private static readonly string[] AnyoneSignedIn =
        [AdministratorClient, Integration, AdministratorUser, ClinicianOwnTeam, NurseOwnTeam, ClinicianOtherTeam, NurseOtherTeam, PatientSelf, PatientOther, ClinicianBreakGlass];

    // Everyone who may have a clinical relationship with some patient: administrators (a client, or a person on no care team) have none, and are told so.
    private static readonly string[] ClinicalCallers = [.. AnyoneSignedIn.Except(Administrators)];

    /// <summary>Endpoints open to everyone by design (sign-in, the readiness check for load balancers) or authenticated by device credentials instead of tokens.</summary>
    private static readonly HashSet<string> Public =
    [
        "POST /connect/token",
        "GET /connect/authorize",
        "POST /connect/authorize",
        "GET /account/sign-in",
        "POST /account/sign-in",
        "GET /account/sign-out",
        "POST /account/sign-out",
        "GET /",
        "GET /health/ready",
        "GET /fhir/metadata",
        "GET /.well-known/smart-configuration",
        "POST /api/v1/devices/{deviceId}/readings",
        "POST /api/v1/devices/{deviceId}/gatt/{characteristic}",
        "POST /api/v1/devices/{deviceId}/messages",
    ];

    /// <summary>Who may call each endpoint; everyone else must be refused.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["GET /api/v1/patients/"] = AnyoneSignedIn,
        ["POST /api/v1/patients/"] = Administrators,
        ["PUT /api/v1/patients/{patientId}/care-team"] = Administrators,
        ["GET /api/v1/patients/{patientId}/latest"] = RelatedReaders,
        ["GET /api/v1/patients/{patientId}/readings"] = RelatedReaders,
        ["POST /api/v1/patients/{patientId}/readings"] = [ClinicianOwnTeam, NurseOwnTeam, PatientSelf, ClinicianBreakGlass],
        ["GET /api/v1/patients/{patientId}/monitoring"] = RelatedReaders,
        ["GET /api/v1/patients/{patientId}/alert-settings"] = RelatedReaders,
        ["PUT /api/v1/patients/{patientId}/alert-settings"] = RelatedClinicians,
        ["GET /api/v1/patients/{patientId}/news2"] = RelatedReaders,
        ["GET /api/v1/patients/{patientId}/news2/bands"] = RelatedReaders,
        ["GET /api/v1/patients/{patientId}/thresholds"] = RelatedReaders,
        ["GET /api/v1/patients/{patientId}/notes/"] = RelatedReaders,
        ["POST /api/v1/patients/{patientId}/notes/"] = RelatedCarers,
        ["GET /api/v1/ward"] = ClinicalCallers,
        ["GET /api/v1/patients/{patientId}/access-log"] = RelatedReaders,
        ["GET /api/v1/patients/{patientId}/access-log/visits"] = RelatedReaders,
        ["POST /api/v1/patients/{patientId}/break-glass"] = Carers,
        ["GET /api/v1/alerts/"] = ClinicalCallers,
        ["GET /api/v1/alerts/quality"] = ClinicalCallers,
        ["GET /api/v1/alerts/{alertId}/"] = RelatedReaders,
        ["GET /api/v1/alerts/{alertId}/deliveries"] = RelatedReaders,
        ["POST /api/v1/alerts/{alertId}/acknowledge"] = RelatedCarers,
        ["POST /api/v1/alerts/{alertId}/resolve"] = RelatedCarers,
        ["POST /api/v1/alerts/{alertId}/comments"] = RelatedCarers,
        ["GET /api/v1/vitals"] = AnyoneSignedIn,
        ["GET /api/v1/display"] = AnyoneSignedIn,
        ["ANY /hubs/alerts/negotiate"] = AnyoneSignedIn,
        ["ANY /hubs/alerts"] = AnyoneSignedIn,
        ["POST /fhir/"] = ReadingSubmitters,
        ["POST /fhir/Observation"] = ReadingSubmitters,
        ["GET /fhir/AuditEvent"] = Administrators,
        // A clinician exports the wards they are on (the test ward here); an export is seen by its requester alone (BulkExportTests).
        ["GET /fhir/Group/{careTeamId}/$export"] = WardExporters,
        ["GET /fhir/Group/{careTeamId}"] = WardExporters,
        ["GET /fhir/Patient/$export"] = Exporters,
        ["GET /fhir/Observation/"] = FhirReaders,
        ["GET /fhir/Observation/$lastn"] = FhirReaders,
        ["GET /fhir/Observation/{observationId}"] = FhirReaders,
        ["GET /fhir/Patient/{patientId}"] = FhirReaders,
        ["GET /fhir/Patient/"] = [.. People, BackendService],
        ["GET /fhir/Device"] = FhirReaders,
        ["GET /fhir/bulk/{exportId}"] = ExportRequesters,
        ["DELETE /fhir/bulk/{exportId}"] = ExportRequesters,
        ["GET /fhir/bulk/{exportId}/{fileName}"] = ExportRequesters,
        ["GET /fhir/Flag"] = FhirReaders,
        ["GET /api/v1/devices/"] = Administrators,
        ["GET /api/v1/device-status"] = Administrators,
        ["POST /api/v1/devices/"] = Administrators,
        ["GET /api/v1/devices/{deviceId}"] = Administrators,
        ["POST /api/v1/devices/{deviceId}/assignment"] = Administrators,
        ["POST /api/v1/devices/{deviceId}/revoke"] = Administrators,
        ["POST /api/v1/devices/{deviceId}/secret"] = Administrators,
        ["PUT /api/v1/devices/{deviceId}/certificate"] = Administrators,
        ["PUT /api/v1/devices/{deviceId}/firmware"] = Administrators,
        ["GET /api/v1/hl7-senders/"] = Administrators,
        ["POST /api/v1/hl7-senders/"] = Administrators,
        ["PATCH /api/v1/hl7-senders/{name}"] = Administrators,
        ["POST /api/v1/hl7-senders/{name}/revoke"] = Administrators,
        ["GET /api/v1/device-models/{model}/mapping"] = Administrators,
        ["PUT /api/v1/device-models/{model}/mapping"] = Administrators,
        ["GET /api/v1/dead-letters"] = Administrators,
        ["POST /api/v1/clients"] = Administrators,
        ["DELETE /api/v1/clients/{clientId}"] = Administrators,
        ["GET /api/v1/me/"] = People,
        ["POST /api/v1/me/second-factor"] = People,
        ["POST /api/v1/me/password"] = People,
        ["POST /api/v1/me/second-factor/confirm"] = People,
        ["GET /api/v1/users/"] = Administrators,
        ["POST /api/v1/users/"] = Administrators,
        ["POST /api/v1/users/{userId}/unlock"] = Administrators,
        ["POST /api/v1/users/{userId}/disable"] = Administrators,
        ["POST /api/v1/patients/{patientId}/portal-accounts/{userId}/confirm"] = [ClinicianOwnTeam, NurseOwnTeam],
        ["GET /api/v1/care-teams/"] = Administrators,
        ["POST /api/v1/care-teams/"] = Administrators,
        ["PUT /api/v1/care-teams/{careTeamId}/members/{userId}"] = Administrators,
        ["DELETE /api/v1/care-teams/{careTeamId}/members/{userId}"] = Administrators,
        ["GET /api/v1/break-glass/"] = Administrators,
        ["POST /api/v1/break-glass/{accessId}/review"] = Administrators,
        ["POST /api/v1/encryption/rotate"] = Administrators,
        ["POST /api/v1/token-keys/rotate"] = Administrators,
    };

    [Fact]
    public void EveryEndpoint_HasARowInTheMatrix()
    {
        var missing = Endpoints().Where(e => !Public.Contains(e) && !Allowed.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "endpoints without a row in the authorisation matrix: " + string.Join(", ", missing));
        var stale = Allowed.Keys.Concat(Public).Except(Endpoints()).ToList();
        Assert.True(stale.Count == 0, "rows for endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task EveryEndpoint_ForEveryRoleAndRelationship_IsAllowedOrDeniedAsTheMatrixSays()
    {
        var leaks = new List<string>();
        foreach (var endpoint in Endpoints().Where(Allowed.ContainsKey))
        {
            foreach (var (relationship, caller) in ward.Callers)
            {
                var status = await CallAsync(endpoint, caller);
                // A patient, alert or care team (a FHIR Group) the caller may not see answers as one that does not exist: 404;
                // so do the Observations, Devices and Flags of a patient the caller may not see.
                var denied = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    || (status is HttpStatusCode.NotFound && (endpoint.Contains("{patientId}", StringComparison.Ordinal) || endpoint.Contains("{alertId}", StringComparison.Ordinal)
                        || endpoint.StartsWith("GET /fhir/Group/", StringComparison.Ordinal) || endpoint.StartsWith("GET /fhir/Observation", StringComparison.Ordinal)
                        || endpoint.StartsWith("GET /fhir/Device", StringComparison.Ordinal) || endpoint.StartsWith("GET /fhir/Flag", StringComparison.Ordinal)));
                var shouldBeAllowed = Allowed[endpoint].Contains(relationship);
                if (denied == shouldBeAllowed)
                {
                    leaks.Add($"{endpoint} as {relationship}: {(int)status} (expected {(shouldBeAllowed ? "allowed" : "denied")})");
                }
            }
        }

        Assert.True(leaks.Count == 0, string.Join(Environment.NewLine, leaks));
    }

    [Fact]
    public async Task Lists_ShowEachCallerOnlyThePatientsTheyMaySee()
    {
        // A token with SMART scopes reads through FHIR only: every /api/v1 route refuses it (the matrix above).
        foreach (var (relationship, caller) in ward.Callers.Where(c => c.Value is not null && !Administrators.Contains(c.Key) && c.Key != BackendService))
        {
            var patients = await caller!.GetFromJsonAsync<JsonElement>("/api/v1/patients", TestContext.Current.CancellationToken);
            var alerts = await caller!.GetFromJsonAsync<JsonElement>("/api/v1/alerts?state=all", TestContext.Current.CancellationToken);
            var tiles = await caller!.GetFromJsonAsync<JsonElement>("/api/v1/ward", TestContext.Current.CancellationToken);
            // Administrators see the roster (to place patients and devices) but not clinical data.
            var inRoster = patients.EnumerateArray().Any(p => p.GetProperty("id").GetString() == ward.TargetPatientId);
            var alertsSeen = alerts.EnumerateArray().Any(a => a.GetProperty("patientId").GetString() == ward.TargetPatientId);
            var onTheWard = tiles.EnumerateArray().Any(t => t.GetProperty("patientId").GetString() == ward.TargetPatientId);
            var related = RelatedReaders.Contains(relationship);

            Assert.True(inRoster == related, $"{relationship}: patient in the roster = {inRoster}");
            Assert.True(alertsSeen == related, $"{relationship}: patient's alerts listed = {alertsSeen}");
            Assert.True(onTheWard == related, $"{relationship}: patient's tile on the ward = {onTheWard}");
            if (People.Contains(relationship))
            {
                // A FHIR Patient search is clinical: not even an administrator finds the roster there.
                var found = await caller!.GetFromJsonAsync<JsonElement>("/fhir/Patient", TestContext.Current.CancellationToken);
                var inFhir = found.TryGetProperty("entry", out var entries)
                    && entries.EnumerateArray().Any(e => e.GetProperty("resource").GetProperty("id").GetString() == ward.TargetPatientId);
                Assert.True(inFhir == FhirReaders.Contains(relationship), $"{relationship}: patient found through FHIR = {inFhir}");
            }
        }
    }

    [Fact]
    public async Task Administrators_SeeTheRoster_AndAreToldWhyTheyMayNotSeeClinicalData()
    {
        foreach (var relationship in Administrators)
        {
            var caller = ward.Callers[relationship]!;
            var patients = await caller.GetFromJsonAsync<JsonElement>("/api/v1/patients", TestContext.Current.CancellationToken);
            // The roster, to place patients on teams and assign devices to them.
            Assert.Contains(patients.EnumerateArray(), p => p.GetProperty("id").GetString() == ward.TargetPatientId);
            foreach (var path in new[] { "/api/v1/alerts?state=all", "/api/v1/alerts/quality", "/api/v1/ward",
                $"/api/v1/patients/{ward.TargetPatientId}/latest", $"/api/v1/alerts/{ward.TargetAlertId}", "/api/v1/patients/pat-none/latest" })
            {
                using var answer = await caller.GetAsync(path, TestContext.Current.CancellationToken);
                Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{relationship}: {path} answered {(int)answer.StatusCode}");
                Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
                var reason = (await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("detail").GetString()!;
                Assert.Contains(relationship == AdministratorClient ? "administrator client" : "administrator on no care team", reason, StringComparison.Ordinal);
            }
        }
    }

    private IEnumerable<string> Endpoints() => ward.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
            .Select(method => $"{method} {Normalise(e.RoutePattern.RawText)}"))
        .Distinct();

    private static string Normalise(string? pattern) => pattern is null ? "" : pattern.StartsWith('/') ? pattern : "/" + pattern;

    // Bodies that pass authorisation but change nothing that matters to the other rows.
    private async Task<HttpStatusCode> CallAsync(string endpoint, HttpClient? caller)
    {
        var (method, pattern) = (endpoint[..endpoint.IndexOf(' ')], endpoint[(endpoint.IndexOf(' ') + 1)..]);
        var path = pattern
            .Replace("/Group/{careTeamId}", "/Group/" + ward.TestWardId, StringComparison.Ordinal)
            .Replace("{exportId}", "export-none", StringComparison.Ordinal)
            .Replace("{fileName}", "Observation.ndjson", StringComparison.Ordinal)
            .Replace("{patientId}", ward.TargetPatientId, StringComparison.Ordinal)
            .Replace("{alertId}", ward.TargetAlertId, StringComparison.Ordinal)
            .Replace("{observationId}", ward.TargetObservationId, StringComparison.Ordinal)
            .Replace("{careTeamId}", "team-none", StringComparison.Ordinal)
            .Replace("{userId}", "usr-none", StringComparison.Ordinal)
            .Replace("{clientId}", "client-none", StringComparison.Ordinal)
            .Replace("{accessId}", "bg-none", StringComparison.Ordinal)
            .Replace("{deviceId}", "device-none", StringComparison.Ordinal)
            .Replace("{model}", "model-none", StringComparison.Ordinal)
            .Replace("{name}", "sender-none", StringComparison.Ordinal);
        var body = pattern.EndsWith("/care-team", StringComparison.Ordinal)
            ? $$"""{"careTeamId":"{{ward.TestWardId}}"}"""
            : "{}";
        if (pattern.EndsWith("/readings", StringComparison.Ordinal))
        {
            path += "?vital=heart-rate";
        }

        if (pattern is "/fhir/Observation/" or "/fhir/Observation/$lastn" or "/fhir/Device" or "/fhir/Flag")
        {
            path += "?patient=" + ward.TargetPatientId;
        }

        using var request = new HttpRequestMessage(new HttpMethod(method == "ANY" ? "POST" : method), path);
        if (method is "POST" or "PUT" && body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, pattern.StartsWith("/fhir", StringComparison.Ordinal) ? "application/fhir+json" : "application/json");
        }

        var http = caller ?? new HttpClient { BaseAddress = ward.BaseAddress };
        try
        {
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
        finally
        {
            if (caller is null)
            {
                http.Dispose();
            }
        }
    }
}
