using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class EncryptionAtRestTests(RunningServer server) : IClassFixture<RunningServer>
{
    [Fact]
    public async Task PatientNamesRecordNumbersAndNotes_AreUnreadableInTheDatabaseFile_AndSurviveKeyRotation()
    {
        var ct = TestContext.Current.CancellationToken;
        const string name = "Zebedee Quartermain";
        const string mrn = "MRN-ENC-4471";
        const string note = "Spoke to daughter Philippa about the oxygen concentrator";
        const string clinicalNote = "Lives alone since March; neighbour Ottoline holds the key";
        using var added = await server.Admin.PostAsJsonAsync("/api/v1/patients", new { name, mrn, careTeamId = server.TestWardId }, ct);
        var patientId = (await added.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
        var (deviceId, secret) = await server.RegisterDeviceAsync();
        await server.AssignAsync(deviceId, patientId, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"blood-glucose","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":45,"unit":"mg/dL"}]""");
        }

        var alertId = await server.WaitForAlertAsync(patientId);
        using var comment = await server.Clinician.PostAsJsonAsync($"/api/v1/alerts/{alertId}/comments", new { text = note }, ct);
        Assert.Equal(HttpStatusCode.OK, comment.StatusCode);
        using var written = await server.Clinician.PostAsJsonAsync($"/api/v1/patients/{patientId}/notes", new { text = clinicalNote }, ct);
        Assert.Equal(HttpStatusCode.Created, written.StatusCode);

        AssertNotInDatabaseFiles(name, mrn, note, clinicalNote);

        using var rotated = await server.Admin.PostAsync("/api/v1/encryption/rotate", null, ct);
        var keyId = (await rotated.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("activeKeyId").GetString()!;
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);

        var patients = await server.Clinician.GetFromJsonAsync<JsonElement>("/api/v1/patients", ct);
        var patient = patients.EnumerateArray().Single(p => p.GetProperty("id").GetString() == patientId);
        Assert.Equal((name, mrn), (patient.GetProperty("name").GetString(), patient.GetProperty("mrn").GetString()));
        var alert = await server.GetJsonAsync($"/api/v1/alerts/{alertId}");
        Assert.Contains(alert.GetProperty("events").EnumerateArray(), e => e.GetProperty("detail").GetString() == note);
        var notes = await server.GetJsonAsync($"/api/v1/patients/{patientId}/notes");
        Assert.Equal(clinicalNote, Assert.Single(notes.EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal(0, await CountWhereAsync($"display_name NOT LIKE 'enc1:{keyId}:%'"));
        AssertNotInDatabaseFiles(name, mrn, note, clinicalNote);
    }

    [Fact]
    public async Task BreakGlassReasonsAndAlertSummaries_AreUnreadableInTheDatabaseFile_AndReadableThroughTheApi()
    {
        var ct = TestContext.Current.CancellationToken;
        const string reason = "Covering the night shift; Mrs Featherstonehaugh's son rang about her breathing";
        var (deviceId, secret, patientId) = await server.AssignedDeviceAsync();
        var nightCover = await server.AddCareTeamAsync("Night cover " + Guid.NewGuid().ToString("N")[..8]);
        using var covering = await server.SignInPersonAsync("clinician", nightCover);
        using (var opened = await covering.PostAsJsonAsync($"/api/v1/patients/{patientId}/break-glass", new { reason }, ct))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings",
                $$"""[{"vital":"blood-glucose","time":"{{Publishing.Time(DateTimeOffset.UtcNow.AddSeconds(-1))}}","value":45,"unit":"mg/dL"}]""");
        }

        var alertId = await server.WaitForAlertAsync(patientId);
        var summary = (await server.GetJsonAsync($"/api/v1/alerts/{alertId}")).GetProperty("summary").GetString()!;

        AssertNotInDatabaseFiles(reason, summary);
        var accesses = await server.Admin.GetFromJsonAsync<JsonElement>("/api/v1/break-glass?unreviewed=true", ct);
        Assert.Contains(accesses.EnumerateArray(), a => a.GetProperty("patientId").GetString() == patientId && a.GetProperty("reason").GetString() == reason);
    }

    [Fact]
    public async Task RotatedKeyEncryptionKey_ReWrapsTheDataKeys_AndTheOldOneIsThenNoLongerNeeded()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("openward-kek-");
        try
        {
            var first = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var second = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var sealedValue = (await StartAsync(directory.FullName, first, previous: null)).Protect("Ada Lovelace", FieldProtector.PatientName);

            await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(directory.FullName, second, previous: null));
            var rotated = await StartAsync(directory.FullName, second, previous: first);
            var afterwards = await StartAsync(directory.FullName, second, previous: null);

            Assert.Equal("Ada Lovelace", rotated.Unprotect(sealedValue, FieldProtector.PatientName));
            Assert.Equal("Ada Lovelace", afterwards.Unprotect(sealedValue, FieldProtector.PatientName));
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => afterwards.Unprotect(sealedValue, FieldProtector.AlertNote));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }

        async Task<FieldProtector> StartAsync(string path, string kek, string? previous)
        {
            var options = Options.Create(new OpenWardOptions { DataDirectory = path });
            var encryption = Options.Create(new EncryptionOptions { KeyEncryptionKey = kek, PreviousKeyEncryptionKey = previous });
            var database = StoreSchemas.Database(options);
            await database.PrepareAsync(ct);
            var protector = new FieldProtector(database, options, encryption, TimeProvider.System);
            await protector.PrepareAsync(ct);
            return protector;
        }
    }

    private void AssertNotInDatabaseFiles(params string[] secrets)
    {
        foreach (var file in Directory.GetFiles(server.DataDirectory, "openward.db*"))
        {
            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            foreach (var secret in secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"\"{secret}\" is readable in {Path.GetFileName(file)}");
            }
        }
    }

    private async Task<long> CountWhereAsync(string condition)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, SqliteClinicalDatabase.FileName)};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM patients WHERE {condition};";
        return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task EveryFileInTheDataDirectory_IsOwnerOnly()
    {
        // Write to both databases first, so that their logs exist too.
        var (deviceId, secret, _) = await server.AssignedDeviceAsync();
        using (var device = await server.ConnectDeviceAsync(deviceId, secret))
        {
            await device.PublishReadingsAsync($"devices/{deviceId}/readings", $"[{Publishing.HeartRate(DateTimeOffset.UtcNow.AddSeconds(-1), 70)}]");
        }

        using var person = await server.SignInPersonAsync("nurse", server.TestWardId);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

        var files = Directory.GetFiles(server.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("identity.db", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("openward.db-wal", StringComparison.Ordinal));
        Assert.All(files, f => Assert.True((File.GetUnixFileMode(f) & others) == 0, $"{Path.GetFileName(f)} is {File.GetUnixFileMode(f)}"));
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(server.DataDirectory) & others);
    }
}
