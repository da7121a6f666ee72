using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Hl7;
using OpenWard.Server.Audit;
using OpenWard.Server.Devices;
using OpenWard.Server.Hl7;
using OpenWard.Server.Ingest;
using OpenWard.Server.Patients;

namespace OpenWard.Server.Gateway.Mllp;

/// <summary>
/// Takes one HL7 v2 message and returns its ACK: decoded by the <see cref="OruR01Decoder"/>, its readings go through the ingest pipeline
/// per device (OBX-18), filed under the patient the device is assigned to or else the one PID-3
/// identifies, and are acknowledged AA only after the commit; refused observations (including
/// those whose PID-3 contradicts the device's assignment) are dead-lettered and listed in ERR
/// segments (AE); a message OpenWard cannot take is rejected (AR). Each observation must also be
/// one its <see cref="Hl7Sender"/> may submit, and every message is audited under its sender.
/// </summary>
public sealed class Hl7Ingest(
    IngestPipeline pipeline, DeviceDirectory directory, PatientRegistry patients, AuditTrail audit, TimeProvider clock)
{
    private const string AuditAction = "hl7-oru-r01";

    /// <summary>Processes a message (one frame's bytes) from an authenticated sender and builds the acknowledgement.</summary>
    public async Task<string> AcknowledgeAsync(ReadOnlySequence<byte> message, Hl7Sender sender, CancellationToken cancellationToken)
    {
        var received = clock.GetUtcNow();
        var oru = OruR01Decoder.Instance.Decode(message, received);
        if (oru.Refusal is not null)
        {
            // A rejected message is kept like any refused payload, under its sender.
            await pipeline.IngestAsync(sender.Actor, oru, "mllp", received, cancellationToken);
            await audit.AppendAsync(sender.Actor, AuditAction, null, "mllp", Hl7Acknowledgement.Rejected, cancellationToken);
            return Ack(Hl7Acknowledgement.Rejected, oru.ControlId, oru.SendingApplication, oru.SendingFacility, [oru.Refusal.Reason], received);
        }

        var reasons = new List<string>();
        var filedFor = new HashSet<string>(StringComparer.Ordinal);
        var identified = oru.PatientIdentifier is { } pid ? await patients.FindByIdentifierAsync(pid, cancellationToken) : null;
        foreach (var device in oru.Items.GroupBy(o => o.DeviceId ?? "", StringComparer.Ordinal))
        {
            var known = device.Key.Length > 0 && directory.IsActive(device.Key);
            var items = new List<SubmittedItem>();
            foreach (var observation in device)
            {
                var problem = known ? observation.Problem : $"device \"{device.Key}\" (OBX-18) is not registered or is revoked";
                var time = observation.Submission?.Time ?? received;
                if (problem is null && oru.PatientIdentifier is { } identifier)
                {
                    problem = await PatientMismatchAsync(device.Key, identifier, identified, time, cancellationToken);
                }

                var assignedId = known ? directory.PatientAt(device.Key, time) : null;
                var patientId = known ? assignedId ?? identified?.Id : null;
                if (problem is null)
                {
                    problem = assignedId is null
                        ? NotPermittedUnassigned(sender, device.Key, identified)
                        : await NotPermittedAsync(sender, device.Key, assignedId, cancellationToken);
                }

                if (problem is null && patientId is not null)
                {
                    filedFor.Add(patientId);
                }

                items.Add(new SubmittedItem
                {
                    Index = observation.Index,
                    RawJson = observation.RawJson,
                    Submission = problem is null ? observation.Submission : null,
                    Problem = problem,
                    IdentifiedPatientId = identified?.Id,
                });
            }

            var outcome = await pipeline.IngestAsync(device.Key.Length > 0 ? device.Key : "(none)", new DecodedBatch { Items = items }, "mllp", received, cancellationToken);
            reasons.AddRange(outcome.Refused.Select(r => $"OBX {r.Index}: {r.Reason}"));
        }

        var code = reasons.Count == 0 ? Hl7Acknowledgement.Accepted : Hl7Acknowledgement.Error;
        foreach (var patientId in filedFor.DefaultIfEmpty(null))
        {
            await audit.AppendAsync(sender.Actor, AuditAction, patientId, "mllp", code, cancellationToken);
        }

        return Ack(code, oru.ControlId, oru.SendingApplication, oru.SendingFacility, reasons, received);
    }

    /// <summary>
    /// Guards against a reading landing in the wrong record. A device assigned to a patient at that
    /// time files under that patient, so PID-3 must not name someone else: another registered
    /// patient, or an identifier other than the assigned patient's medical record number when one
    /// is recorded. An unassigned monitor files under the patient PID-3 names.
    /// </summary>
    private async Task<string?> PatientMismatchAsync(
        string deviceId, string identifier, Patient? identified, DateTimeOffset time, CancellationToken cancellationToken)
    {
        if (directory.PatientAt(deviceId, time) is not { } assignedId)
        {
            return null;
        }

        if (identified is not null)
        {
            return identified.Id == assignedId ? null : Mismatch(deviceId);
        }

        var assigned = await patients.FindAsync(assignedId, cancellationToken);
        return assigned?.Mrn is { } mrn && mrn != identifier ? Mismatch(deviceId) : null;
    }

    /// <summary>
    /// Whether the sender may submit the reading of a device assigned to a patient at that time: a
    /// device it is registered for by id, or one assigned to a patient of a care team it is registered
    /// for — except that a device with a pinned certificate is only ever spoken for by itself or by a
    /// sender registered for it by id.
    /// </summary>
    private async Task<string?> NotPermittedAsync(Hl7Sender sender, string deviceId, string assignedId, CancellationToken cancellationToken)
    {
        if (sender.Devices.Contains(deviceId, StringComparer.Ordinal))
        {
            return null;
        }

        if (directory.PinnedCertificateOf(deviceId) is not null)
        {
            return $"device \"{deviceId}\" has a pinned certificate: only it, or an HL7 sender registered for it by id, may submit its readings";
        }

        return await patients.FindAsync(assignedId, cancellationToken) is { CareTeamId: { } team } && sender.CareTeams.Contains(team, StringComparer.Ordinal)
            ? null
            : $"HL7 sender \"{sender.Name}\" is not registered for device \"{deviceId}\" nor for the care team of the patient it is assigned to";
    }

    /// <summary>
    /// Whether the sender may submit the reading of a device assigned to no one at that time. Such a
    /// reading is filed under the patient PID-3 names, so saying who the patient is takes a sender
    /// registered for that patient's care team: being registered for the device (or being the device)
    /// is not enough, or it could file readings into any record. Without PID-3 the reading is kept
    /// unattributed, which a sender registered for the device may do.
    /// </summary>
    private string? NotPermittedUnassigned(Hl7Sender sender, string deviceId, Patient? identified)
    {
        var forDevice = sender.Devices.Contains(deviceId, StringComparer.Ordinal);
        if (directory.PinnedCertificateOf(deviceId) is not null && !forDevice)
        {
            return $"device \"{deviceId}\" has a pinned certificate: only it, or an HL7 sender registered for it by id, may submit its readings";
        }

        if (identified is null)
        {
            return forDevice ? null : $"HL7 sender \"{sender.Name}\" is not registered for device \"{deviceId}\"";
        }

        return identified.CareTeamId is { } team && sender.CareTeams.Contains(team, StringComparer.Ordinal)
            ? null
            : $"device \"{deviceId}\" is not assigned to a patient, and HL7 sender \"{sender.Name}\" is not registered for the care team "
              + "of the patient PID-3 names: assign the device, or register the sender for that care team";
    }

    private static string Mismatch(string deviceId) =>
        $"PID-3 names a different patient than the one device \"{deviceId}\" is assigned to at that time";

    private static string Ack(string code, string controlId, string application, string facility, IReadOnlyList<string> reasons, DateTimeOffset now) =>
        Hl7Acknowledgement.Build(code, controlId, application, facility, reasons, now, "ACK-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)));
}
