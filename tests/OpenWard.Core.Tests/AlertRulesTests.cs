using OpenWard.Core.Alerting;

namespace OpenWard.Core.Tests;

public sealed class AlertRulesTests
{
    private static readonly HashSet<string> Devices = ["oxi-7", "scale.2"];

    [Theory]
    [InlineData("threshold:heart-rate:high", "threshold:heart-rate:high")]
    [InlineData("news2", "news2")]
    [InlineData("gap:spo2", "gap:spo2")]
    [InlineData("device-offline:oxi-7", "device-offline")]
    [InlineData("device-battery:scale.2", "device-battery")]
    [InlineData("early-warning:oxi-7", "early-warning")]
    [InlineData("device-offline:unknown-device", "device-offline:unknown-device")]
    public void Rule_IsTheCondition_WithoutAPerDeviceSuffix(string condition, string rule) =>
        Assert.Equal(rule, AlertRules.Of(condition, Devices.Contains));

    [Theory]
    [InlineData("threshold:heart-rate:high", "Heart rate high")]
    [InlineData("threshold:blood-pressure.systolic:low", "Systolic blood pressure low")]
    [InlineData("news2", "NEWS2")]
    [InlineData("trend:heart-rate:above-baseline", "Heart rate above baseline (trend)")]
    [InlineData("trend:body-weight:gain", "Body weight gain (trend)")]
    [InlineData("gap:spo2", "No data: Oxygen saturation (SpO2)")]
    [InlineData("emergency:emergency-call", "Emergency call (help button)")]
    [InlineData("emergency:fall", "Fall detected")]
    [InlineData("device-battery", "Device battery low")]
    [InlineData("device-offline", "Device offline")]
    [InlineData("early-warning", "Early warning")]
    public void Rule_ReadsAsClinicianWords(string rule, string name) =>
        Assert.Equal(name, AlertRules.Describe(rule));
}
