namespace OpenWard.Server.Alerts;

/// <summary>
/// A way of reaching clinicians outside the console: webhooks, e-mail, and (plugged in the same
/// way) SMS or pager gateways. A channel sends one notice to one target and says whether it got
/// through; retries and their back-off are the dispatcher's.
/// </summary>
public interface IAlertChannel
{
    /// <summary>The channel's name as deliveries record it (<c>webhook</c>, <c>email</c>, …).</summary>
    string Name { get; }

    /// <summary>The targets a notice goes to (URLs, addresses); empty when the channel is not configured.</summary>
    IReadOnlyList<string> Targets { get; }

    /// <summary>Sends a notice (as its JSON payload) to one target; returns null on success, else why it failed.</summary>
    Task<string?> SendAsync(string target, string payload, CancellationToken cancellationToken);
}
