using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace OpenWard.Testing;

/// <summary>A device uploading a reading over HTTP(S) with its secret, and its client certificate if it has one.</summary>
public static class HttpsUploads
{
    /// <summary>Uploads one heart rate of <paramref name="value"/>, taken that many seconds ago; returns the answer's status.</summary>
    public static async Task<HttpStatusCode> HeartRateAsync(Uri address, string deviceId, string secret, X509Certificate2? certificate, int value)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        if (certificate is not null)
        {
            handler.ClientCertificates.Add(certificate);
        }

        using var http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        using var response = await http.PostAsync($"/api/v1/devices/{deviceId}/readings",
            new StringContent($"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-value), value)}]", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
