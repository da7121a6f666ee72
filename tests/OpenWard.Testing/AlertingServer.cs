namespace OpenWard.Testing;

/// <summary>A running server whose alerts escalate and clear within seconds, so tests see the whole lifecycle.</summary>
public sealed class AlertingServer : RunningServer
{
    protected override IEnumerable<string> ExtraArguments =>
    [
        "--OpenWard:Alerting:HoldOff=00:00:02",
        "--OpenWard:Alerting:News2Confirmation=00:00:01",
        "--OpenWard:Alerting:News2HoldOff=00:00:02",
        "--OpenWard:Alerting:RuleTick=00:00:01",
        "--OpenWard:Alerting:EscalationCheck=00:00:00.200",
        "--OpenWard:Alerting:OfflineAfter=00:00:01",
        "--OpenWard:Alerting:Escalation:0:Name=ward nurse",
        "--OpenWard:Alerting:Escalation:0:After=00:00:00",
        "--OpenWard:Alerting:Escalation:1:Name=charge nurse",
        "--OpenWard:Alerting:Escalation:1:After=00:00:02",
        "--OpenWard:Alerting:Escalation:2:Name=on-call physician",
        "--OpenWard:Alerting:Escalation:2:After=00:00:04",
    ];
}
