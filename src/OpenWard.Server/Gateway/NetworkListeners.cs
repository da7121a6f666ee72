using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.AspNetCore;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using OpenWard.Server.Gateway.Mllp;
using OpenWard.Server.Gateway.Mqtt;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Gateway;

/// <summary>
/// Every socket OpenWard listens on, all in Kestrel: the HTTP(S) API from <c>--urls</c> (default
/// <see cref="DefaultUrls"/>), MQTT and HL7 v2 MLLP, each plain (loopback) and over TLS.
/// </summary>
public static class NetworkListeners
{
    /// <summary>
    /// The API addresses when <c>--urls</c> is not given: plain HTTP on loopback for local tools,
    /// HTTPS on every interface for devices and clients elsewhere.
    /// </summary>
    public const string DefaultUrls = "http://127.0.0.1:5080;https://0.0.0.0:5443";

    /// <summary>The setting <c>--urls</c> on the command line becomes (see <see cref="KeepUrlsFromHost"/>).</summary>
    public const string UrlsKey = "OpenWard:Urls";

    /// <summary>The API's addresses: <c>--urls</c>, or <see cref="DefaultUrls"/>.</summary>
    public static IReadOnlyList<string> ApiUrls(IConfiguration configuration) =>
        (configuration[UrlsKey] is { Length: > 0 } given ? given : configuration["urls"] is { Length: > 0 } configured ? configured : DefaultUrls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Turns <c>--urls</c> on the command line into <see cref="UrlsKey"/>: the listeners are bound here, in code, and a host
    /// that also held the addresses would warn at every start that it was overriding them.
    /// </summary>
    public static string[] KeepUrlsFromHost(string[] args)
    {
        var kept = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            // As the command line's configuration reads it: --urls or /urls, then the value after = or as the next argument.
            var name = args[i].StartsWith("--", StringComparison.Ordinal) ? args[i][2..] : args[i].StartsWith('/') ? args[i][1..] : null;
            var equals = name?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            var key = equals < 0 ? name : name![..equals];
            if (!string.Equals(key, "urls", StringComparison.OrdinalIgnoreCase))
            {
                kept.Add(args[i]);
            }
            else if (equals >= 0)
            {
                kept.Add($"--{UrlsKey}={name![(equals + 1)..]}");
            }
            else if (i + 1 < args.Length)
            {
                kept.Add($"--{UrlsKey}={args[++i]}");
            }
        }

        return [.. kept];
    }

    /// <summary>Binds the API, MQTT and MQTT-over-TLS listeners.</summary>
    public static WebApplicationBuilder AddNetworkListeners(this WebApplicationBuilder builder)
    {
        var options = OpenWardOptions.From(builder.Configuration);
        var dataPath = DataDirectory.Ensure(options.DataDirectory);
        var urls = ApiUrls(builder.Configuration);
        if (options.Mllp.Problem() is { } mllpProblem)
        {
            throw new InvalidOperationException(mllpProblem);
        }

        var certificate = new Lazy<X509Certificate2>(
            () => ServerCertificate.Load(builder.Configuration, dataPath));
        builder.Services.AddSingleton(new OpenListeners(Describe(urls, options)));
        builder.Services.AddHostedService<ListenerReport>();

        // Listeners are bound in code, so the URLs are applied here rather than by the host.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;

            foreach (var url in urls)
            {
                var address = BindingAddress.Parse(url);
                var https = string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
                kestrel.Listen(ParseHost(address.Host), address.Port, listen =>
                {
                    if (https)
                    {
                        // A device uploading over HTTPS may present its client certificate (checked against its pin); people and clients need none.
                        listen.UseHttps(PinnedClientCertificates(certificate.Value,
                            options.Web.AskForClientCertificates ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate));
                    }
                });
            }

            if (options.Mqtt.Port > 0)
            {
                kestrel.Listen(ParseHost(options.Mqtt.BindAddress), options.Mqtt.Port, listen => listen.UseMqttPacketLimits().UseMqtt());
            }

            if (options.Mllp.Port > 0)
            {
                kestrel.Listen(ParseHost(options.Mllp.BindAddress), options.Mllp.Port, listen => listen.UseConnectionHandler<MllpConnectionHandler>());
            }

            if (options.Mllp.TlsPort > 0)
            {
                kestrel.Listen(ParseHost(options.Mllp.TlsBindAddress), options.Mllp.TlsPort, listen =>
                {
                    // Every HL7 sender on the TLS port identifies itself with the client certificate registered for it.
                    listen.UseHttps(PinnedClientCertificates(certificate.Value, ClientCertificateMode.RequireCertificate));
                    listen.UseConnectionHandler<MllpConnectionHandler>();
                });
            }

            if (options.Mqtt.TlsPort > 0)
            {
                kestrel.Listen(ParseHost(options.Mqtt.TlsBindAddress), options.Mqtt.TlsPort, listen =>
                {
                    // Devices may present a client certificate (often self-signed); it is checked against the one pinned for the device at CONNECT.
                    listen.UseHttps(PinnedClientCertificates(certificate.Value, ClientCertificateMode.AllowCertificate));
                    listen.UseMqttPacketLimits().UseMqtt();
                });
            }
        });
        return builder;
    }

    /// <summary>Every listener these settings open, with its own scheme (Kestrel would call them all http:// or https://).</summary>
    private static List<OpenListener> Describe(IReadOnlyList<string> urls, OpenWardOptions options)
    {
        var listeners = urls.Select(url => BindingAddress.Parse(url)).Select(address => new OpenListener(
            $"{address.Scheme}://{address.Host}:{address.Port}",
            address.Scheme == "https" ? "the API, the web console and device uploads over TLS" : "the API and the web console")).ToList();
        if (options.Mqtt.Port > 0)
        {
            listeners.Add(new($"mqtt://{options.Mqtt.BindAddress}:{options.Mqtt.Port}", "MQTT devices"));
        }

        if (options.Mqtt.TlsPort > 0)
        {
            listeners.Add(new($"mqtts://{options.Mqtt.TlsBindAddress}:{options.Mqtt.TlsPort}", "MQTT devices over TLS"));
        }

        if (options.Mllp.Port > 0)
        {
            listeners.Add(new($"mllp://{options.Mllp.BindAddress}:{options.Mllp.Port}", $"HL7 v2 over MLLP from the sender {options.Mllp.LoopbackSender}"));
        }

        if (options.Mllp.TlsPort > 0)
        {
            listeners.Add(new($"mllps://{options.Mllp.TlsBindAddress}:{options.Mllp.TlsPort}", "HL7 v2 over MLLP with TLS, each sender by its client certificate"));
        }

        return listeners;
    }

    /// <summary>
    /// TLS whose client certificates are checked by pin (<see cref="Devices.CertificatePin"/>) where
    /// they are used, not by chain: device and interface-engine certificates are often self-signed.
    /// </summary>
    private static HttpsConnectionAdapterOptions PinnedClientCertificates(X509Certificate2 serverCertificate, ClientCertificateMode mode) => new()
    {
        ServerCertificate = serverCertificate,
        ClientCertificateMode = mode,
        ClientCertificateValidation = (_, _, _) => true,
    };

    private static IPAddress ParseHost(string host) => host switch
    {
        "localhost" => IPAddress.Loopback,
        "*" or "+" or "" => IPAddress.Any,
        _ => IPAddress.Parse(host.Trim('[', ']')),
    };
}
