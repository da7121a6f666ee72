using System.CommandLine;
using System.Text.Json;
using OpenWard.Mapping.Destination;
using OpenWard.Mapping.Templates;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward models set-mapping|show-mapping</c>: the mapping templates of device models that send their own JSON.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Device model, as devices are registered with it" };
        var deviceMapping = new Option<FileInfo>("--device-mapping") { Description = "Device mapping template (CollectionContent)", Required = true };
        var fhirMapping = new Option<FileInfo>("--fhir-mapping") { Description = "FHIR destination mapping (CollectionFhir)", Required = true };
        var set = new Command("set-mapping", "Check a model's mapping templates here, with the files' line numbers, then store them on the server")
        {
            model, deviceMapping, fhirMapping,
        };
        set.SetAction((parse, ct) =>
        {
            var deviceFile = parse.GetValue(deviceMapping)!;
            var fhirFile = parse.GetValue(fhirMapping)!;
            var deviceText = File.ReadAllText(deviceFile.FullName);
            var fhirText = File.ReadAllText(fhirFile.FullName);
            var valid = TemplateReport.Print(DeviceMapping.Load(deviceText), deviceFile) & TemplateReport.Print(FhirMapping.Load(fhirText), fhirFile);
            if (!valid)
            {
                return Task.FromResult(1);
            }

            return GlobalOptions.PrintAsync(parse, api => api.PutAsync(
                $"/api/v1/device-models/{Uri.EscapeDataString(parse.GetValue(model)!)}/mapping",
                new { deviceMapping = JsonDocument.Parse(deviceText).RootElement, fhirMapping = JsonDocument.Parse(fhirText).RootElement },
                ct));
        });

        var show = new Command("show-mapping", "Print a model's stored mapping templates") { model };
        show.SetAction((parse, ct) => GlobalOptions.PrintAsync(parse, api => api.GetAsync(
            $"/api/v1/device-models/{Uri.EscapeDataString(parse.GetValue(model)!)}/mapping", ct)));

        return new Command("models", "Device models that send their own JSON, and their mapping templates") { set, show };
    }
}
