using System.Security.Cryptography;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Core.Hl7;
using OpenWard.Server.Devices;
using OpenWard.Server.Ingest;
using OpenWard.Server.Patients;

namespace OpenWard.Server.Hl7;

/// <summary>
/// Takes one HL7 v2 message and returns its ACK: ORU^R01 readings go through the ingest pipeline
/// per device (OBX-18), filed under the patient the device is assigned to or else the one PID-3
/// identifies, and are acknowledged AA only after the commit; refused observations (including
/// those whose PID-3 contradicts the device's assignment) are dead-lettered and listed in ERR
/// segments (AE); a message OpenWard cannot take is rejected (AR).
/// </summary>
public sealed class Hl7Ingest(IngestPipeline pipeline, DeviceDirectory directory, PatientRegistry patients, TimeProvider clock)
{
    /// <summary>Processes the message text and builds the acknowledgement.</summary>
    public async Task<string> AcknowledgeAsync(string text, CancellationToken cancellationToken)
    {
        var received = clock.GetUtcNow();
        if (!Hl7Message.TryParse(text, out var message, out var parseProblem))
        {
            await DeadLetterAsync("(unknown sender)", parseProblem!, text, cancellationToken);
            return Ack(Hl7Acknowledgement.Rejected, "", "", "", [parseProblem!], received);
        }

        var oru = OruR01Reader.Read(message!);
        if (oru.Problem is not null)
        {
            await DeadLetterAsync(oru.SendingApplication.Length > 0 ? oru.SendingApplication : "(unknown sender)", oru.Problem, text, cancellationToken);
            return Ack(Hl7Acknowledgement.Rejected, oru.ControlId, oru.SendingApplication, oru.SendingFacility, [oru.Problem], received);
        }

        var reasons = new List<string>();
        var identified = oru.PatientIdentifier is { } pid ? await patients.FindByIdentifierAsync(pid, cancellationToken) : null;
        foreach (var device in oru.Observations.GroupBy(o => o.DeviceId, StringComparer.Ordinal))
        {
            var known = device.Key.Length > 0 && directory.IsActive(device.Key);
            var items = new List<SubmittedItem>();
            foreach (var observation in device)
            {
                var problem = known ? observation.Problem : $"device \"{device.Key}\" (OBX-18) is not registered or is revoked";
                if (problem is null && oru.PatientIdentifier is { } identifier)
                {
                    problem = await PatientMismatchAsync(device.Key, identifier, identified, observation.Submission!.Time ?? received, cancellationToken);
                }

                items.Add(new SubmittedItem
                {
                    Index = observation.Index,
                    RawJson = observation.Raw,
                    Submission = problem is null ? observation.Submission : null,
                    Problem = problem,
                    IdentifiedPatientId = identified?.Id,
                });
            }

            var outcome = await pipeline.IngestItemsAsync(device.Key.Length > 0 ? device.Key : "(none)", items, "mllp", received, cancellationToken);
            reasons.AddRange(outcome.Refused.Select(r => $"OBX {r.Index}: {r.Reason}"));
        }

        var code = reasons.Count == 0 ? Hl7Acknowledgement.Accepted : Hl7Acknowledgement.Error;
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

    private static string Mismatch(string deviceId) =>
        $"PID-3 names a different patient than the one device \"{deviceId}\" is assigned to at that time";

    /// <summary>A rejected message is kept like any refused payload, under its sending application (MSH-3).</summary>
    private Task DeadLetterAsync(string sender, string problem, string text, CancellationToken cancellationToken) =>
        pipeline.RefusePayloadAsync(sender, "mllp", problem, new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(text)), cancellationToken);

    private static string Ack(string code, string controlId, string application, string facility, IReadOnlyList<string> reasons, DateTimeOffset now) =>
        Hl7Acknowledgement.Build(code, controlId, application, facility, reasons, now, "ACK-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)));
}
