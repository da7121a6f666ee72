using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenWard.Core.Text;

namespace OpenWard.Server.Api;

/// <summary>
/// Answers a request the endpoints could not bind — a body that is not JSON or not sent as JSON, a
/// missing or malformed parameter — with a problem that says what was wrong and what to send, in
/// plain words, instead of an empty 400 or the framework's exception text.
/// </summary>
public static partial class RequestBodyProblems
{
    /// <summary>Makes binding failures throw, so that <see cref="UseRequestBodyProblems"/> can answer them.</summary>
    public static WebApplicationBuilder AddRequestBodyProblems(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>Answers binding failures with their reason.</summary>
    public static WebApplication UseRequestBodyProblems(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
                // A body of another media type is answered 415 without a body, whatever ThrowOnBadRequest says.
                if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted && context.Response.ContentType is null)
                {
                    await Answer(new BadHttpRequestException("unsupported media type", StatusCodes.Status415UnsupportedMediaType)).ExecuteAsync(context);
                }
            }
            catch (BadHttpRequestException refused) when (!context.Response.HasStarted)
            {
                await Answer(refused).ExecuteAsync(context);
            }
        });
        return app;
    }

    /// <summary>The answer to a request the endpoint could not bind.</summary>
    public static ProblemHttpResult Answer(BadHttpRequestException refused)
    {
        if (refused.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send JSON",
                detail: "the body was not sent as JSON; send it with the header Content-Type: application/json");
        }

        if (refused.InnerException is JsonException json)
        {
            return JsonSyntaxError.IsWrongType(json)
                ? TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A value of the wrong type",
                    detail: "the body has a value of the wrong type: " + JsonSyntaxError.Describe(json))
                : TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not valid JSON",
                    detail: "the body is not valid JSON: " + JsonSyntaxError.Describe(json));
        }

        return TypedResults.Problem(statusCode: refused.StatusCode, detail: Explain(refused.Message));
    }

    private static string Explain(string message)
    {
        if (FailedToBind().Match(message) is { Success: true } bind)
        {
            return $"{bind.Groups["name"].Value} \"{Quote.Shorten(bind.Groups["value"].Value)}\" is not {Expected(bind.Groups["type"].Value)}";
        }

        if (Missing().Match(message) is { Success: true } missing)
        {
            return missing.Groups["source"].Value == "body"
                ? "a JSON body is required; send it with the header Content-Type: application/json"
                : $"{missing.Groups["name"].Value} is required";
        }

        return message.Contains("no body was provided", StringComparison.Ordinal)
            ? "a JSON body is required; send it with the header Content-Type: application/json"
            : message;
    }

    private static string Expected(string type) => Nullable().Replace(type, "$1").TrimEnd('?') switch
    {
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "double" or "decimal" or "Double" => "a number",
        "bool" or "Boolean" => "true or false",
        "DateTimeOffset" or "DateTime" => "a time in ISO 8601 with its UTC offset (2026-12-06T09:30:00Z)",
        _ => "valid here",
    };

    [GeneratedRegex("^Nullable<(.+)>$", RegexOptions.CultureInvariant)]
    private static partial Regex Nullable();

    [GeneratedRegex("^Failed to bind parameter \"(?<type>\\S+) (?<name>[^\"]+)\" from \"(?<value>.*)\"\\.$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("^Required parameter \"\\S+ (?<name>[^\"]+)\" was not provided from (?<source>query string|route|header|body|form)", RegexOptions.CultureInvariant)]
    private static partial Regex Missing();
}
