using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using OpenWard.Server.Hosting;
using OpenWard.Server.Patients;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests;

public sealed class SchemaUpgradeTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("openward-schema-");

    private string File => Path.Combine(directory.FullName, SqliteClinicalDatabase.FileName);

    [Fact]
    public async Task DatabaseOfSchema1_IsUpgradedToTheCurrentSchema_KeepingItsPatients()
    {
        var registry = await UpgradeAsync("""
            CREATE TABLE patients (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, created_at INTEGER NOT NULL);
            INSERT INTO patients VALUES ('pat-000000000001', 'Existing Patient', 0);
            PRAGMA user_version = 1;
            """);

        var added = await registry.AddAsync("New Patient", "MRN-1", null, TestContext.Current.CancellationToken);
        var duplicate = await registry.AddAsync("Another Patient", "MRN-1", null, TestContext.Current.CancellationToken);

        Assert.Equal(ProblemKind.None, added.Problem);
        Assert.Equal(ProblemKind.Conflict, duplicate.Problem);
        var patients = await registry.ListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Existing Patient", "New Patient"], patients.Select(p => p.Name));
        Assert.Equal([null, "MRN-1"], patients.Select(p => p.Mrn));
        Assert.Equal("New Patient", (await registry.FindByIdentifierAsync("MRN-1", TestContext.Current.CancellationToken))?.Name);
        // The name written in clear before encryption existed is sealed at the first start.
        Assert.StartsWith("enc1:", await ScalarAsync("SELECT display_name FROM patients WHERE id = 'pat-000000000001';"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DatabaseOfSchema2_IsUpgraded_SealingRecordNumbersThatStayFindable()
    {
        var registry = await UpgradeAsync("""
            CREATE TABLE patients (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, created_at INTEGER NOT NULL, mrn TEXT NULL);
            CREATE TABLE devices (id TEXT PRIMARY KEY, model TEXT NOT NULL, serial TEXT NOT NULL, secret_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL, revoked_at INTEGER NULL, last_seen INTEGER NULL);
            INSERT INTO patients VALUES ('pat-000000000002', 'Upgraded Patient', 0, 'MRN-OLD-7');
            PRAGMA user_version = 2;
            """);

        var found = await registry.FindByIdentifierAsync("MRN-OLD-7", TestContext.Current.CancellationToken);

        Assert.Equal(("pat-000000000002", "Upgraded Patient"), (found?.Id, found?.Name));
        Assert.StartsWith("enc1:", await ScalarAsync("SELECT mrn FROM patients;"), StringComparison.Ordinal);
        Assert.Equal("1", await ScalarAsync("SELECT count(*) FROM pragma_table_info('devices') WHERE name = 'certificate_sha256';"));
    }

    [Fact]
    public async Task DatabaseOfSchema4_IsUpgradedToOneReadingIndex_ThatStillRefusesDuplicates()
    {
        await UpgradeAsync("""
            CREATE TABLE readings (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, patient_id TEXT NULL, vital TEXT NOT NULL,
                value REAL NULL, components TEXT NULL, unit TEXT NOT NULL, device_time INTEGER NOT NULL, received_time INTEGER NOT NULL,
                dedup_key TEXT NOT NULL, seq INTEGER NULL);
            CREATE UNIQUE INDEX ux_readings_dedup ON readings(device_id, dedup_key);
            CREATE INDEX ix_readings_patient ON readings(patient_id, vital, device_time);
            INSERT INTO readings VALUES (1, 'dev-1', 'pat-1', 'heart-rate', 70, NULL, '/min', 1000, 1001, 'heart-rate@1000', NULL);
            INSERT INTO readings VALUES (2, 'dev-2', NULL, 'heart-rate', 80, NULL, '/min', 1000, 1001, 'heart-rate@1000', NULL);
            PRAGMA user_version = 4;
            """);

        Assert.Equal("ux_readings_measurement,ux_readings_unattributed", await ScalarAsync(
            "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'readings' ORDER BY name);"));
        // Both resends are ignored: the attributed one by the new index, the unattributed one by its own.
        Assert.Equal("2", await ScalarAsync("""
            INSERT OR IGNORE INTO readings VALUES (3, 'dev-1', 'pat-1', 'heart-rate', 70, NULL, '/min', 1000, 1002, NULL);
            INSERT OR IGNORE INTO readings VALUES (4, 'dev-2', NULL, 'heart-rate', 80, NULL, '/min', 1000, 1002, NULL);
            SELECT count(*) FROM readings;
            """));
        Assert.Equal("9", await ScalarAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task DatabaseOfSchema5_LosesTheKeyColumn_AndKeepsEveryReading()
    {
        await UpgradeAsync("""
            CREATE TABLE readings (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, patient_id TEXT NULL, vital TEXT NOT NULL,
                value REAL NULL, components TEXT NULL, unit TEXT NOT NULL, device_time INTEGER NOT NULL, received_time INTEGER NOT NULL,
                dedup_key TEXT NOT NULL, seq INTEGER NULL);
            CREATE UNIQUE INDEX ux_readings_measurement ON readings(patient_id, vital, device_time, device_id);
            CREATE UNIQUE INDEX ux_readings_unattributed ON readings(device_id, vital, device_time) WHERE patient_id IS NULL;
            INSERT INTO readings VALUES (1, 'dev-1', 'pat-1', 'heart-rate', 70, NULL, '/min', 1000, 1001, 'heart-rate@1000', 5);
            INSERT INTO readings VALUES (2, 'dev-1', 'pat-1', 'blood-pressure', NULL, '{"systolic":120,"diastolic":80}', 'mm[Hg]', 2000, 2001, 'blood-pressure@2000', NULL);
            PRAGMA user_version = 5;
            """);

        Assert.Equal("0", await ScalarAsync("SELECT count(*) FROM pragma_table_info('readings') WHERE name = 'dedup_key';"));
        Assert.Equal("1|dev-1|pat-1|heart-rate|70.0|/min|1000|1001|5;2|blood-pressure|{\"systolic\":120,\"diastolic\":80}|mm[Hg]|2000", await ScalarAsync("""
            SELECT group_concat(row, ';') FROM (
                SELECT id || '|' || device_id || '|' || patient_id || '|' || vital || '|' || value || '|' || unit || '|' || device_time || '|' || received_time || '|' || seq AS row
                FROM readings WHERE id = 1
                UNION ALL
                SELECT id || '|' || vital || '|' || components || '|' || unit || '|' || device_time FROM readings WHERE id = 2);
            """));
        Assert.Equal("9", await ScalarAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task DatabaseOfSchema6_KeepsItsDevices_AndGivesThemBatteryAndConnectionColumns()
    {
        await UpgradeAsync("""
            CREATE TABLE devices (id TEXT PRIMARY KEY, model TEXT NOT NULL, serial TEXT NOT NULL, secret_hash TEXT NOT NULL,
                created_at INTEGER NOT NULL, revoked_at INTEGER NULL, last_seen INTEGER NULL, certificate_sha256 TEXT NULL, firmware TEXT NULL);
            INSERT INTO devices VALUES ('oxi-1', 'Oximeter', 'SN-1', 'hash', 1000, NULL, 5000, NULL, '1.2.0');
            PRAGMA user_version = 6;
            """);

        Assert.Equal("oxi-1|5000|1.2.0|-|0", await ScalarAsync(
            "SELECT id || '|' || last_seen || '|' || firmware || '|' || ifnull(battery_percent, '-') || '|' || connected FROM devices;"));
        Assert.Equal("9", await ScalarAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task DatabaseOfSchema7_KeepsItsAlerts_Unlabelled_AndTakesLabels()
    {
        await UpgradeAsync("""
            CREATE TABLE alerts (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, condition TEXT NOT NULL, severity INTEGER NOT NULL, state TEXT NOT NULL,
                summary TEXT NOT NULL, raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, acknowledged_by TEXT NULL, acknowledged_at INTEGER NULL,
                resolved_by TEXT NULL, resolved_at INTEGER NULL, escalation_tier INTEGER NOT NULL DEFAULT 0, next_escalation_at INTEGER NULL);
            CREATE TABLE alert_events (id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL REFERENCES alerts(id), at INTEGER NOT NULL, kind TEXT NOT NULL,
                actor TEXT NOT NULL, detail TEXT NULL);
            INSERT INTO alerts VALUES ('alt-1', 'pat-1', 'news2', 3, 'resolved', 'NEWS2 7', 1000, 2000, NULL, NULL, 'user:usr-1', 2000, 0, NULL);
            INSERT INTO alert_events VALUES (1, 'alt-1', 2000, 'resolved', 'user:usr-1', NULL);
            PRAGMA user_version = 7;
            """);

        Assert.Equal("alt-1|resolved|-|-", await ScalarAsync(
            "SELECT a.id || '|' || e.kind || '|' || ifnull(a.actionable, '-') || '|' || ifnull(e.actionable, '-') FROM alerts a JOIN alert_events e ON e.alert_id = a.id;"));
        Assert.Equal("1|0", await ScalarAsync("""
            INSERT INTO alerts (id, patient_id, condition, severity, state, summary, raised_at, updated_at, resolved_by, resolved_at, actionable)
                VALUES ('alt-2', 'pat-1', 'news2', 3, 'resolved', 'NEWS2 8', 3000, 4000, 'user:usr-1', 4000, 0);
            INSERT INTO alert_events (alert_id, at, kind, actor, actionable) VALUES ('alt-2', 4000, 'resolved', 'user:usr-1', 0);
            SELECT count(*) || '|' || (SELECT actionable FROM alert_events WHERE alert_id = 'alt-2') FROM alerts WHERE actionable IS NOT NULL;
            """));
        Assert.Equal("ix_alerts_raised", await ScalarAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ix_alerts_raised';"));
        Assert.Equal("9", await ScalarAsync("PRAGMA user_version;"));
    }

    [Fact]
    public async Task DatabaseOfSchema8_WithBreakGlassReasonsAndAlertSummariesInClear_HasThemSealedAtStart()
    {
        // As OpenWard left it before these columns were sealed: its other columns already sealed, and marked so.
        await UpgradeAsync("""
            CREATE TABLE encryption_keys (id TEXT PRIMARY KEY, purpose TEXT NOT NULL, wrapped TEXT NOT NULL, created_at INTEGER NOT NULL, retired_at INTEGER NULL);
            INSERT INTO encryption_keys VALUES ('clear-values-sealed', 'clear-values-sealed', '', 0, NULL);
            CREATE TABLE break_glass (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, patient_id TEXT NOT NULL, reason TEXT NOT NULL,
                opened_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, reviewed_by TEXT NULL, reviewed_at INTEGER NULL);
            INSERT INTO break_glass VALUES ('bg-1', 'usr-1', 'pat-1', 'Covering the night shift on the respiratory ward', 1000, 2000, NULL, NULL);
            CREATE TABLE alerts (id TEXT PRIMARY KEY, patient_id TEXT NOT NULL, condition TEXT NOT NULL, severity INTEGER NOT NULL, state TEXT NOT NULL,
                summary TEXT NOT NULL, raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, acknowledged_by TEXT NULL, acknowledged_at INTEGER NULL,
                resolved_by TEXT NULL, resolved_at INTEGER NULL, escalation_tier INTEGER NOT NULL DEFAULT 0, next_escalation_at INTEGER NULL, actionable INTEGER NULL);
            INSERT INTO alerts VALUES ('alt-1', 'pat-1', 'spo2', 3, 'raised', 'SpO2 84 % below 88 %', 1000, 1000, NULL, NULL, NULL, NULL, 0, NULL, NULL);
            PRAGMA user_version = 8;
            """);

        Assert.StartsWith("enc1:", await ScalarAsync("SELECT reason FROM break_glass;"), StringComparison.Ordinal);
        Assert.StartsWith("enc1:", await ScalarAsync("SELECT summary FROM alerts;"), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }

    // Writes a database as an older OpenWard left it, then starts the store on it as the server does.
    private async Task<PatientRegistry> UpgradeAsync(string oldSchema)
    {
        await using (var old = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            await old.OpenAsync(TestContext.Current.CancellationToken);
            await using var create = old.CreateCommand();
            create.CommandText = oldSchema;
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var options = Options.Create(new OpenWardOptions { DataDirectory = directory.FullName });
        var database = StoreSchemas.Database(options);
        await database.PrepareAsync(TestContext.Current.CancellationToken);
        var protector = new FieldProtector(database, options, Options.Create(new EncryptionOptions()), TimeProvider.System);
        await protector.PrepareAsync(TestContext.Current.CancellationToken);
        return new PatientRegistry(database, protector, TimeProvider.System);
    }

    private async Task<string> ScalarAsync(string query)
    {
        await using var raw = new SqliteConnection($"Data Source={File};Pooling=False");
        await raw.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = raw.CreateCommand();
        command.CommandText = query;
        return Convert.ToString(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
