using OpenWard.Server.Hosting;
using Microsoft.Extensions.Options;

namespace OpenWard.Server.Gateway;

/// <summary>
/// Once everything has started, says in one message where the server listens — each listener with
/// its own scheme (<c>mqtt://</c>, <c>mqtts://</c>, <c>mllp://</c>, <c>mllps://</c>, <c>http://</c>,
/// <c>https://</c>) and what it serves — and where its data directory is. It stands in for the
/// host's own "Now listening on" lines, which call every listener http:// (appsettings.json quiets them).
/// </summary>
public sealed partial class ListenerReport(OpenListeners listeners, IOptions<OpenWardOptions> options, ILogger<ListenerReport> logger) : HostMoments
{
    /// <inheritdoc />
    public override Task StartedAsync(CancellationToken cancellationToken)
    {
        var width = listeners.All.Select(listener => listener.Address.Length).DefaultIfEmpty(0).Max();
        var lines = listeners.All.Select(listener => $"  {listener.Address.PadRight(width)}  {listener.Serves}");
        LogListening(logger, options.Value.DataPath, string.Join(Environment.NewLine, lines));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OpenWard started (data directory {DataDirectory}); Ctrl+C stops it. Listening on:\n{Listeners}")]
    private static partial void LogListening(ILogger logger, string dataDirectory, string listeners);
}
