using System.ComponentModel.DataAnnotations;

namespace OpenWard.Server.Readings;

/// <summary>How long readings are kept (<c>OpenWard:Retention:…</c>). Off by default: readings are kept for ever.</summary>
public sealed class ReadingRetentionOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "OpenWard:Retention";

    /// <summary>
    /// Readings whose device time is older than this are deleted (on PostgreSQL, a day's partition at a
    /// time), e.g. <c>730.00:00:00</c> for two years; at least one day. Unset: kept for ever.
    /// </summary>
    public TimeSpan? Readings { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Readings is { } period && period < TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"must be at least one day (1.00:00:00), not {period}", [nameof(Readings)]);
        }
    }
}
