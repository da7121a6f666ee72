using System.CommandLine;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward devices add|list|assign|revoke|rotate-secret|pin-certificate|firmware|status</c>.</summary>
public static class DevicesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "Device id (also its MQTT user name)", Required = true };
        var model = new Option<string>("--model") { Description = "Manufacturer model", Required = true };
        var serial = new Option<string>("--serial") { Description = "Serial number", Required = true };
        var firmware = new Option<string?>("--firmware") { Description = "Firmware version it runs" };
        var add = new Command("add", "Register a device; its secret is printed once") { id, model, serial, firmware };
        add.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync("/api/v1/devices",
            new { id = parse.GetValue(id), model = parse.GetValue(model), serial = parse.GetValue(serial), firmware = parse.GetValue(firmware) }, ct)));

        var list = new Command("list", "List registered devices");
        list.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync("/api/v1/devices", ct)));

        var device = new Argument<string>("ID") { Description = "Device id" };
        var patient = new Option<string>("--patient") { Description = "Patient id", Required = true };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Start of the assignment (default now)" };
        var assign = new Command("assign", "Assign a device to a patient from now (or --from) on") { device, patient, from };
        assign.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync(
            $"/api/v1/devices/{Uri.EscapeDataString(parse.GetValue(device)!)}/assignment",
            new { patientId = parse.GetValue(patient), from = parse.GetValue(from) }, ct)));

        var revoke = new Command("revoke", "Revoke a device: it is disconnected and can no longer send") { device };
        revoke.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync(
            $"/api/v1/devices/{Uri.EscapeDataString(parse.GetValue(device)!)}/revoke", null, ct)));

        var rotate = new Command("rotate-secret", "Give a device a new secret (printed once); the old one stops working at once") { device };
        rotate.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PostAsync(
            $"/api/v1/devices/{Uri.EscapeDataString(parse.GetValue(device)!)}/secret", null, ct)));

        var pem = new Option<FileInfo?>("--pem") { Description = "The device's client certificate (PEM); left out: stop requiring one" };
        var pin = new Command("pin-certificate", "Require a device to present this client certificate on every transport (MQTT, HTTPS upload, HL7 over MLLP)") { device, pem };
        pin.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, async api => await api.PutAsync(
            $"/api/v1/devices/{Uri.EscapeDataString(parse.GetValue(device)!)}/certificate",
            new { certificatePem = parse.GetValue(pem) is { } file ? await File.ReadAllTextAsync(file.FullName, ct) : null }, ct)));

        var version = new Argument<string>("VERSION") { Description = "Firmware version" };
        var upgraded = new Command("firmware", "Record the firmware version a device now runs (after an upgrade)") { device, version };
        upgraded.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.PutAsync(
            $"/api/v1/devices/{Uri.EscapeDataString(parse.GetValue(device)!)}/firmware", new { version = parse.GetValue(version) }, ct)));

        var status = new Command("status", "Each device's connection, last message, battery and publishes refused for being on another device's topic") { GlobalOptions.Json };
        status.SetAction((parse, ct) => GlobalOptions.ShowAsync(parse, api => api.GetAsync("/api/v1/device-status", ct), DeviceStatusTable.Write));

        return new Command("devices", "The device fleet") { add, list, assign, revoke, rotate, pin, upgraded, status };
    }
}
