using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using OpenWard.Server.Access;

namespace OpenWard.Server.Alerts;

/// <summary>
/// The open connections of the alerts hub, by caller, so that ending a person's sessions (or deleting
/// a client) closes the connections through which they hear alerts.
/// </summary>
public sealed class LiveAlertConnections
{
    private readonly ConcurrentDictionary<string, (string Caller, HubCallerContext Context)> open = new(StringComparer.Ordinal);

    /// <summary>Remembers a connection of <paramref name="caller"/> (as the audit trail names them).</summary>
    public void Add(string caller, HubCallerContext context) => open[context.ConnectionId] = (caller, context);

    /// <summary>Forgets a closed connection.</summary>
    public void Remove(string connectionId) => open.TryRemove(connectionId, out _);

    /// <summary>Closes every connection of <paramref name="caller"/>.</summary>
    public void Close(string caller)
    {
        foreach (var (_, connection) in open)
        {
            if (connection.Caller == caller)
            {
                connection.Context.Abort();
            }
        }
    }
}
