using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace OpenWard.Testing;

/// <summary>A real SignalR client on the alerts hub, collecting every alert message it receives.</summary>
public sealed class AlertListener : IAsyncDisposable
{
    private readonly HubConnection connection;
    private readonly Channel<JsonElement> received = Channel.CreateUnbounded<JsonElement>();
    private readonly Channel<string[]> wardNotices = Channel.CreateUnbounded<string[]>();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AlertListener(HubConnection connection)
    {
        this.connection = connection;
        connection.On<JsonElement>("alert", alert => received.Writer.TryWrite(alert));
        connection.On<string[]>("ward", patients => wardNotices.Writer.TryWrite(patients));
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects as the test ward's clinician, or with the given access token.</summary>
    public static Task<AlertListener> ConnectAsync(RunningServer server, string? accessToken = null) =>
        ConnectAsync(server.BaseAddress, accessToken ?? server.ClinicianToken);

    /// <summary>Connects to the server at <paramref name="baseAddress"/> with the given access token.</summary>
    public static async Task<AlertListener> ConnectAsync(Uri baseAddress, string accessToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/alerts"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(accessToken))
            .Build();
        var listener = new AlertListener(connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await connection.StartAsync(timeout.Token);
        return listener;
    }

    /// <summary>Waits (at most 30 s) for an alert message that matches.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var alert = await received.Reader.ReadAsync(timeout.Token);
            if (match(alert))
            {
                return alert;
            }
        }
    }

    /// <summary>Waits (at most 30 s) for a ward notice that names the patient (new readings stored for them).</summary>
    public async Task WaitForWardNoticeAsync(string patientId)
    {
        if (!await HeardOfAsync(patientId, TimeSpan.FromSeconds(30)))
        {
            Assert.Fail($"no ward notice named patient {patientId} within 30 s");
        }
    }

    /// <summary>Whether a ward notice names the patient within <paramref name="within"/>.</summary>
    public async Task<bool> HeardOfAsync(string patientId, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (!(await wardNotices.Reader.ReadAsync(timeout.Token)).Contains(patientId))
            {
            }

            return true;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits (at most 30 s) for the server to close the connection; false if it is still open then.</summary>
    public async Task<bool> WaitUntilClosedAsync()
    {
        var first = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        return first == closed.Task;
    }

    public async ValueTask DisposeAsync() => await connection.DisposeAsync();
}
