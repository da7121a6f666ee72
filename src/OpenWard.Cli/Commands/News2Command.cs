using System.CommandLine;
using System.Text.Json;
using OpenWard.Core.Scores;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward news2</c>: scores a set of observations offline and prints each sub-score, the total and the response level.</summary>
public static class News2Command
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var respirationRate = new Option<double?>("--resp-rate") { Description = "Respiration rate, breaths per minute" };
        var spo2 = new Option<double?>("--spo2") { Description = "Oxygen saturation, %" };
        var scale = new Option<int>("--spo2-scale") { Description = "SpO2 scale: 1 (default) or 2 (hypercapnic respiratory failure, chosen by a clinician)", DefaultValueFactory = _ => 1 };
        scale.AcceptOnlyFromAmong("1", "2");
        var oxygen = new Option<bool>("--oxygen") { Description = "On supplemental oxygen" };
        var air = new Option<bool>("--air") { Description = "On room air" };
        var systolic = new Option<double?>("--systolic") { Description = "Systolic blood pressure, mmHg" };
        var pulse = new Option<double?>("--pulse") { Description = "Pulse, beats per minute" };
        var consciousness = new Option<string?>("--consciousness") { Description = "ACVPU: A, C (new confusion), V, P or U" };
        consciousness.AcceptOnlyFromAmong("A", "C", "V", "P", "U", "a", "c", "v", "p", "u");
        var temperature = new Option<double?>("--temperature") { Description = "Temperature, °C" };
        var command = new Command("news2", "Score NEWS2 (Royal College of Physicians, 2017) offline and print each parameter's sub-score, the total and the clinical-response level")
        {
            respirationRate, spo2, scale, oxygen, air, systolic, pulse, consciousness, temperature,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(oxygen) && parse.GetValue(air))
            {
                Console.Error.WriteLine("openward: give --oxygen or --air, not both");
                return 1;
            }

            var score = News2.Score(new News2Observations
            {
                RespirationRate = parse.GetValue(respirationRate),
                SpO2 = parse.GetValue(spo2),
                SpO2Scale = parse.GetValue(scale) == 2 ? SpO2Scale.Scale2 : SpO2Scale.Scale1,
                OnOxygen = parse.GetValue(oxygen) ? true : parse.GetValue(air) ? false : null,
                SystolicPressure = parse.GetValue(systolic),
                Pulse = parse.GetValue(pulse),
                Consciousness = parse.GetValue(consciousness)?.ToUpperInvariant() switch
                {
                    "A" => Consciousness.Alert,
                    "C" => Consciousness.NewConfusion,
                    "V" => Consciousness.Voice,
                    "P" => Consciousness.Pain,
                    "U" => Consciousness.Unresponsive,
                    _ => null,
                },
                Temperature = parse.GetValue(temperature),
            });
            Console.Out.WriteLine(JsonSerializer.Serialize(News2Json.From(score), Indented));
            return 0;
        });
        return command;
    }
}
