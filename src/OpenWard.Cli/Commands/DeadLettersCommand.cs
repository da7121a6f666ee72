using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace OpenWard.Cli.Commands;

/// <summary><c>openward dead-letters [--device ID] [--limit N] [--cursor C]</c>: what devices sent that OpenWard refused, newest first, each with its reason.</summary>
public static class DeadLettersCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var device = new Option<string?>("--device") { Description = "Only this device's dead letters" };
        var limit = new Option<int?>("--limit") { Description = "How many to list (default 50, at most 1000)" };
        var cursor = new Option<string?>("--cursor") { Description = "Continue below a previous listing (the cursor it printed last)" };
        var command = new Command("dead-letters", "What devices sent that OpenWard refused, newest first, with the reasons")
        {
            device, limit, cursor, GlobalOptions.Json,
        };
        command.SetAction((parse, ct) =>
        {
            var query = new List<string> { "limit=" + (parse.GetValue(limit) ?? 50).ToString(CultureInfo.InvariantCulture) };
            if (parse.GetValue(device) is { } id)
            {
                query.Add("deviceId=" + Uri.EscapeDataString(id));
            }

            if (parse.GetValue(cursor) is { } after)
            {
                query.Add("cursor=" + Uri.EscapeDataString(after));
            }

            return GlobalOptions.ShowAsync(parse, api => api.GetAsync("/api/v1/dead-letters?" + string.Join('&', query), ct),
                (page, output) => Write(page, output, parse.GetValue(device)));
        });
        return command;
    }

    // One paragraph per dead letter: when, which device, how, which item; the reason; what was sent (cut short).
    private static void Write(JsonElement page, TextWriter output, string? device)
    {
        var items = page.GetProperty("items");
        if (items.GetArrayLength() == 0)
        {
            output.WriteLine("no dead letters");
            return;
        }

        foreach (var letter in items.EnumerateArray())
        {
            var at = letter.GetProperty("receivedAt").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var item = letter.TryGetProperty("itemIndex", out var index) && index.ValueKind == JsonValueKind.Number
                ? $", reading {index.GetInt32()}"
                : letter.TryGetProperty("refusedTopic", out var topic) && topic.ValueKind == JsonValueKind.String ? $", on {topic.GetString()}" : ", whole message";
            output.WriteLine($"{at}  {letter.GetProperty("deviceId").GetString()} over {letter.GetProperty("channel").GetString()}{item}");
            output.WriteLine($"  why:  {letter.GetProperty("reason").GetString()}");
            var raw = letter.GetProperty("raw").GetString() ?? "";
            output.WriteLine(raw.Length == 0 ? "  sent: (not kept)" : $"  sent: {(raw.Length > 200 ? raw[..200] + "…" : raw).ReplaceLineEndings(" ")}");
        }

        if (page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String)
        {
            var ofDevice = device is null ? "" : $" --device {device}";
            output.WriteLine($"more: openward dead-letters{ofDevice} --cursor {next.GetString()}");
        }
    }
}
