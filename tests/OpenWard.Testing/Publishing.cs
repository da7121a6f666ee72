using System.Globalization;
using MQTTnet;
using MQTTnet.Protocol;

namespace OpenWard.Testing;

/// <summary>Publishing device JSON at QoS 1 and building payloads.</summary>
public static class Publishing
{
    public static async Task<MqttClientPublishResult> PublishReadingsAsync(this IMqttClient client, string topic, string payload)
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        return await client.PublishAsync(message, cancellation.Token);
    }

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public static string HeartRate(DateTimeOffset time, double value) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"vital":"heart-rate","time":"{{Time(time)}}","value":{{value}},"unit":"/min"}""");
}
