using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Server.Devices;
using UploadResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Accepted<OpenWard.Server.Ingest.IngestReceipt>,
    Microsoft.AspNetCore.Http.HttpResults.UnprocessableEntity<OpenWard.Server.Ingest.IngestReceipt>,
    Microsoft.AspNetCore.Http.HttpResults.BadRequest<OpenWard.Server.Ingest.IngestReceipt>,
    Microsoft.AspNetCore.Http.HttpResults.UnauthorizedHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace OpenWard.Server.Ingest;

/// <summary>
/// <c>POST /api/v1/devices/{deviceId}/readings</c> (device JSON), <c>…/messages</c> (the device's
/// own JSON, through its model's mapping templates) and <c>…/gatt/{characteristic}</c> (raw Bluetooth LE values): the HTTPS way for a device or gateway to upload what it would publish
/// over MQTT, authenticated with HTTP Basic (device id and secret). Answers 202 after the commit,
/// listing every refused reading with its reason.
/// </summary>
public static class HttpIngestApi
{
    /// <summary>Maps the device upload endpoint.</summary>
    public static IEndpointRouteBuilder MapDeviceIngestApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/devices/{deviceId}/readings", UploadAsync)
            .AllowAnonymous() // devices authenticate with their own secret, checked below
            .WithTags("Devices")
            .WithSummary("Upload readings from a device (HTTP Basic: device id and secret)");
        app.MapPost("/api/v1/devices/{deviceId}/messages", UploadMessageAsync)
            .AllowAnonymous()
            .WithTags("Devices")
            .WithSummary("Upload a message in the device's own JSON, read through its model's mapping templates");
        app.MapPost("/api/v1/devices/{deviceId}/gatt/{characteristic}", UploadGattAsync)
            .AllowAnonymous()
            .WithTags("Devices")
            .WithSummary("Upload a raw Bluetooth LE characteristic value read by a gateway (application/octet-stream)");
        return app;
    }

    private static Task<UploadResult> UploadAsync(
        string deviceId, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity, IngestPipeline pipeline, CancellationToken cancellationToken) =>
        IngestAsync(deviceId, context, guard, directory, connectivity, (payload, ct) => pipeline.IngestJsonAsync(deviceId, payload, "http", ct), pipeline, cancellationToken);

    private static Task<UploadResult> UploadMessageAsync(
        string deviceId, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity, IngestPipeline pipeline, CancellationToken cancellationToken) =>
        IngestAsync(deviceId, context, guard, directory, connectivity, (payload, ct) => pipeline.IngestVendorJsonAsync(deviceId, payload, "http", ct), pipeline, cancellationToken);

    private static Task<UploadResult> UploadGattAsync(
        string deviceId, string characteristic, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity, IngestPipeline pipeline, CancellationToken cancellationToken) =>
        IngestAsync(deviceId, context, guard, directory, connectivity, (payload, ct) => pipeline.IngestGattAsync(deviceId, characteristic, payload, "http", ct), pipeline, cancellationToken);

    private static async Task<UploadResult> IngestAsync(
        string deviceId, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity,
        Func<ReadOnlySequence<byte>, CancellationToken, Task<IngestOutcome>> ingest, IngestPipeline pipeline, CancellationToken cancellationToken)
    {
        var credentials = DeviceBasicCredentials.Read(context.Request);
        var address = context.Connection.RemoteIpAddress?.ToString();
        var authentication = credentials is { } given
            ? guard.SignIn(given.DeviceId, given.Secret, address)
            : DeviceAuthentication.WrongSecret;
        if (authentication is DeviceAuthentication.BackingOff or DeviceAuthentication.TooManyRequests)
        {
            var wait = authentication == DeviceAuthentication.BackingOff ? Math.Max(1, Math.Ceiling(guard.BackOffRemaining(credentials!.Value.DeviceId, address).TotalSeconds)) : 10;
            context.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, detail: authentication == DeviceAuthentication.BackingOff
                ? "too many failed attempts for this device from this address; try again after Retry-After"
                : "too many uploads from this address; try again shortly");
        }

        if (credentials is not { } device || authentication != DeviceAuthentication.Accepted)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"OpenWard devices\"";
            return TypedResults.Unauthorized();
        }

        if (device.DeviceId != deviceId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, detail: "a device may upload only its own readings");
        }

        // As over MQTT: a device with a pinned certificate must present exactly that one, besides its secret.
        if (directory.PinnedCertificateOf(deviceId) is { } pinned
            && !CertificatePin.IsPresented(pinned, await context.Connection.GetClientCertificateAsync(cancellationToken)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                detail: "this device must present its pinned client certificate over HTTPS");
        }

        if (!guard.TryAcceptMessage(deviceId))
        {
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, detail: "the device is sending faster than its rate limit; nothing of this upload was stored");
        }

        connectivity.Seen(deviceId);

        var (body, tooLarge) = await ReadBodyAsync(context.Request, cancellationToken);
        if (tooLarge)
        {
            await pipeline.RefusePayloadAsync(deviceId, "http", TooLargeReason, new ReadOnlySequence<byte>(body), cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: TooLargeReason);
        }

        var outcome = await ingest(new ReadOnlySequence<byte>(body), cancellationToken);
        var receipt = IngestReceipt.From(outcome);
        if (outcome.PayloadProblem is not null)
        {
            return TypedResults.BadRequest(receipt);
        }

        return outcome.Refused.Count > 0 && outcome.Stored + outcome.Duplicates == 0
            ? TypedResults.UnprocessableEntity(receipt)
            : TypedResults.Accepted((string?)null, receipt);
    }

    private static readonly string TooLargeReason =
        $"payload is larger than the limit of {DeviceJsonFormat.MaxPayloadBytes} bytes; split the batch";

    /// <summary>
    /// Reads the body up to one chunk past the payload limit, so an oversized body is known without
    /// reading it all; a body beyond the server's request limit (which the server refuses to read at
    /// all) is too large as well, with what was read of it.
    /// </summary>
    private static async Task<(byte[] Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > DeviceJsonFormat.MaxPayloadBytes)
                {
                    break;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (buffer.ToArray(), true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (buffer.ToArray(), buffer.Length > DeviceJsonFormat.MaxPayloadBytes);
    }
}
