using System.Collections.Concurrent;
using System.Net;

namespace OpenWard.Testing;

/// <summary>A real HTTP endpoint on loopback that receives webhooks; it answers 500 to the first request so that retries show.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private int requests;

    private WebhookReceiver(int port)
    {
        Port = port;
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<(string Timestamp, string Signature, string Body)> Received { get; } = new();

    public static WebhookReceiver Start() => new(FreePorts.Take(1)[0]);

    public void Dispose() => listener.Close();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Increment(ref requests) == 1)
            {
                context.Response.StatusCode = 500; // the receiver is down the first time
            }
            else
            {
                Received.Enqueue((context.Request.Headers["X-OpenWard-Timestamp"]!, context.Request.Headers["X-OpenWard-Signature"]!, body));
                context.Response.StatusCode = 204;
            }

            context.Response.Close();
        }
    }
}
