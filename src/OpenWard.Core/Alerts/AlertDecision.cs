namespace OpenWard.Core.Alerts;

/// <summary>The answer to a person's request of an alert: the step taken, or the refusal saying why not.</summary>
public sealed record AlertDecision
{
    private AlertDecision(AlertStep? step, AlertRefusal? refusal) => (Step, Refusal) = (step, refusal);

    /// <summary>The step taken; null when refused.</summary>
    public AlertStep? Step { get; }

    /// <summary>Why it was refused; null when taken.</summary>
    public AlertRefusal? Refusal { get; }

    /// <summary>The request is allowed: this step.</summary>
    public static AlertDecision Take(AlertStep step) => new(step, null);

    /// <summary>The request is not allowed in the alert's state.</summary>
    public static AlertDecision Refuse(AlertState state, string reason) => new(null, new AlertRefusal(state, reason));
}
