using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Alerts;

/// <summary>Rule timing and escalation (<c>OpenWard:Alerting:…</c>).</summary>
public sealed class AlertingOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Alerting";

    /// <summary>How long values must stay back inside a limit before an alert resolves by itself.</summary>
    public TimeSpan HoldOff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How old a value may be and still count towards NEWS2.</summary>
    public TimeSpan News2Freshness { get; set; } = TimeSpan.FromHours(4);

    /// <summary>How long a rising NEWS2 response level must hold before it alerts.</summary>
    public TimeSpan News2Confirmation { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a falling NEWS2 response level must hold before the alert follows it down (or clears).</summary>
    public TimeSpan News2HoldOff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether the personalised early warning runs (docs/alerting.md); off only to measure what it costs.</summary>
    public bool EarlyWarning { get; set; } = true;

    /// <summary>How often each patient's rules look at the clock (hold-offs).</summary>
    public TimeSpan RuleTick { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a patient's device may be without an MQTT connection before a "device offline" warning, at
    /// least: a device that reports less often is given longer (<see cref="ReportingIntervals"/>).
    /// </summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often the devices of a model are expected to report, by model (<c>OpenWard:Alerting:ReportingIntervals:scale-7=1.00:00:00</c>):
    /// such a device is reported offline after one and a half times that (never sooner than <see cref="OfflineAfter"/>).
    /// A device whose model is not listed learns its interval from its own reporting gaps.
    /// </summary>
    public Dictionary<string, TimeSpan> ReportingIntervals { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often unacknowledged alerts are checked for escalation.</summary>
    public TimeSpan EscalationCheck { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Who is notified, in order, while an alert stays unacknowledged: each tier is notified
    /// <see cref="EscalationTier.After"/> the alert was raised; the first is notified at once.
    /// Empty means <see cref="DefaultEscalation"/> (configured tiers replace it rather than add to it).
    /// </summary>
    public EscalationTier[] Escalation { get; set; } = [];

    /// <summary>Ward nurse at once, charge nurse after 5 minutes, on-call physician after 15.</summary>
    public static EscalationTier[] DefaultEscalation { get; } =
    [
        new() { Name = "ward nurse", After = TimeSpan.Zero },
        new() { Name = "charge nurse", After = TimeSpan.FromMinutes(5) },
        new() { Name = "on-call physician", After = TimeSpan.FromMinutes(15) },
    ];

    /// <summary>Webhooks every alert change is posted to, signed with HMAC-SHA256.</summary>
    public WebhookTarget[] Webhooks { get; set; } = [];

    /// <summary>E-mail delivery over SMTP, when a server is configured.</summary>
    public EmailOptions Email { get; set; } = new();

    /// <summary>How many times a delivery is tried before it is marked failed.</summary>
    [Range(1, 100)]
    public int DeliveryAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; each further retry waits twice as long.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The tiers in force.</summary>
    public EscalationTier[] Tiers => Escalation.Length > 0 ? Escalation : DefaultEscalation;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ReportingIntervals.Where(e => e.Value <= TimeSpan.Zero).Select(e =>
            new ValidationResult($"the reporting interval of model '{e.Key}' must be longer than zero", [$"{nameof(ReportingIntervals)}:{e.Key}"]));
}
