using System.Net;
using System.Net.Http.Json;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

/// <summary>
/// A hospital whose browsers hold smart-card certificates turns off the HTTPS listeners' request for
/// a client certificate, so the console never makes a browser offer one.
/// </summary>
public sealed class ClientCertificateRequestTests(ClientCertificateRequestTests.NoCertificateRequests server)
    : IClassFixture<ClientCertificateRequestTests.NoCertificateRequests>
{
    public sealed class NoCertificateRequests : RunningServer
    {
        protected override IEnumerable<string> ExtraArguments => ["--OpenWard:Web:AskForClientCertificates=false"];
    }

    [Fact]
    public async Task WithoutTheRequest_APinnedDevicesCertificateIsNeverTaken_SoItsHttpsUploadIsRefused_WhileUnpinnedDevicesUpload()
    {
        var (pinnedDevice, pinnedSecret, pinnedPatient) = await server.AssignedDeviceAsync();
        var (plainDevice, plainSecret, plainPatient) = await server.AssignedDeviceAsync();
        using var own = TestCertificates.SelfSigned("CN=" + pinnedDevice);
        using (var pinned = await server.Admin.PutAsJsonAsync($"/api/v1/devices/{pinnedDevice}/certificate",
            new { certificatePem = own.ExportCertificatePem() }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, pinned.StatusCode);
        }

        var fromPinned = await HttpsUploads.HeartRateAsync(server.HttpsAddress, pinnedDevice, pinnedSecret, own, 65);
        var fromPlain = await HttpsUploads.HeartRateAsync(server.HttpsAddress, plainDevice, plainSecret, certificate: null, 66);

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Accepted], [fromPinned, fromPlain]);
        Assert.Empty((await server.GetJsonAsync($"/api/v1/patients/{pinnedPatient}/latest")).EnumerateArray());
        Assert.Single((await server.GetJsonAsync($"/api/v1/patients/{plainPatient}/latest")).EnumerateArray());
    }
}
