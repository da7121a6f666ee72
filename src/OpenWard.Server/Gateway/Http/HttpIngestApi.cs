using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.Bluetooth;
using OpenWard.Core.DeviceProtocol;
using OpenWard.Server.DeviceModels;
using OpenWard.Server.Devices;
using OpenWard.Server.Ingest;
using UploadResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Accepted<OpenWard.Server.Gateway.Http.IngestReceipt>,
    Microsoft.AspNetCore.Http.HttpResults.UnprocessableEntity<OpenWard.Server.Gateway.Http.IngestReceipt>,
    Microsoft.AspNetCore.Http.HttpResults.BadRequest<OpenWard.Server.Gateway.Http.IngestReceipt>,
    Microsoft.AspNetCore.Http.HttpResults.UnauthorizedHttpResult,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace OpenWard.Server.Gateway.Http;

/// <summary>
/// <c>POST /api/v1/devices/{deviceId}/readings</c> (device JSON), <c>…/messages</c> (the device's
/// own JSON, through its model's mapping templates) and <c>…/gatt/{characteristic}</c> (raw Bluetooth LE values): the HTTPS way for a device or gateway to upload what it would publish
/// over MQTT, authenticated with HTTP Basic (device id and secret). Answers 202 after the commit,
/// listing every refused reading with its reason.
/// </summary>
public static class HttpIngestApi
{
    /// <summary>Maps the device upload endpoints.</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder app)
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
        string deviceId, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity, IngestPipeline pipeline, TimeProvider clock,
        CancellationToken cancellationToken) =>
        IngestAsync(deviceId, context, guard, directory, connectivity, () => DeviceJsonDecoder.Instance, pipeline, clock, cancellationToken, json: true);

    private static Task<UploadResult> UploadMessageAsync(
        string deviceId, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity, DeviceModelDecoders models,
        IngestPipeline pipeline, TimeProvider clock, CancellationToken cancellationToken) =>
        IngestAsync(deviceId, context, guard, directory, connectivity, () => models.For(deviceId), pipeline, clock, cancellationToken, json: true);

    private static Task<UploadResult> UploadGattAsync(
        string deviceId, string characteristic, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity,
        IngestPipeline pipeline, TimeProvider clock, CancellationToken cancellationToken) =>
        IngestAsync(deviceId, context, guard, directory, connectivity, () => new GattPayloadDecoder(characteristic), pipeline, clock, cancellationToken);

    /// <summary>Authenticates and rate-limits the device, then decodes the body with the decoder for its path (chosen only then) and ingests it.</summary>
    private static async Task<UploadResult> IngestAsync(
        string deviceId, HttpContext context, DeviceGuard guard, DeviceDirectory directory, DeviceConnectivity connectivity,
        Func<IPayloadDecoder<DecodedBatch>> decoderForPath, IngestPipeline pipeline, TimeProvider clock, CancellationToken cancellationToken, bool json = false)
    {
        var credentials = DeviceBasicCredentials.Read(context.Request);
        var address = context.Connection.RemoteIpAddress?.ToString();
        var authentication = credentials is { } given
            ? await guard.SignInAsync(given.DeviceId, given.Secret, address, cancellationToken)
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

        // A body declared as a form or as text is not taken for JSON: the sender is told what to send.
        if (json && context.Request.ContentType is { Length: > 0 } type && !IsJson(type))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: $"the body was sent as {Core.Text.Quote.Shorten(type)}; send the readings as JSON with the header Content-Type: application/json");
        }

        var (body, tooLarge) = await ReadBodyAsync(context.Request, cancellationToken);
        var payload = new ReadOnlySequence<byte>(body);
        var received = clock.GetUtcNow();
        if (tooLarge)
        {
            await pipeline.IngestAsync(deviceId, DecodedBatch.Refused(PayloadRefusal.Of(TooLargeReason, payload)), "http", received, cancellationToken);
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: TooLargeReason);
        }

        var batch = decoderForPath().Decode(payload, received);
        var outcome = await pipeline.IngestAsync(deviceId, batch, "http", received, cancellationToken);
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

    private static bool IsJson(string contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);
}
