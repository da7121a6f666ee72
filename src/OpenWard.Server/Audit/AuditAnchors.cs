using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenWard.Core.Audit;
using OpenWard.Server.Hosting;

namespace OpenWard.Server.Audit;

/// <summary>
/// Signs the audit trail's head and appends it to the anchor file (<see cref="AuditOptions"/>), outside
/// the database: a record once anchored cannot be deleted, nor rewritten with the chain recomputed,
/// without <c>openward audit verify</c> saying so. The signing key is created owner-only on first start,
/// its public half written beside the anchors for the verifier.
/// </summary>
public sealed partial class AuditAnchors(AuditTrail trail, IOptions<OpenWardOptions> options, IOptions<AuditOptions> audit, TimeProvider clock, ILogger<AuditAnchors> logger)
    : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private ECDsa? key;
    private AuditAnchor? last;
    private bool loaded;

    private string DataPath => options.Value.DataPath;

    private string AnchorPath => Path.Combine(DataPath, audit.Value.AnchorFile);

    /// <summary>
    /// Anchors the trail's head unless the last anchor already covers it. At the first call, checks
    /// that the trail still holds the record the last anchor covered, and reports it if not.
    /// </summary>
    public async Task AnchorAsync(CancellationToken cancellationToken)
    {
        await turn.WaitAsync(cancellationToken);
        try
        {
            var (sequence, hash) = await trail.HeadAsync(cancellationToken);
            if (!loaded)
            {
                key = LoadKey();
                last = await ReadLastAsync(cancellationToken);
                loaded = true;
                if (last is not null && AuditAnchorCheck.AgainstTrail(last, sequence, await trail.HashAtAsync(last.Sequence, cancellationToken)) is { } problem)
                {
                    LogTrailDoesNotMatch(logger, problem);
                }
            }

            if (last is not null && last.Sequence == sequence && last.Hash == hash)
            {
                return;
            }

            var anchor = AuditAnchor.Sign(last, sequence, hash, clock.GetUtcNow(), key!);
            await AppendAsync(anchor, cancellationToken);
            last = anchor;
            LogAnchored(logger, anchor.Number, anchor.Sequence, anchor.Hash);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        key?.Dispose();
        turn.Dispose();
    }

    private ECDsa LoadKey()
    {
        var path = Path.Combine(DataPath, audit.Value.AnchorKeyFile);
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            ecdsa.ImportFromPem(File.ReadAllText(path));
        }
        else
        {
            DataDirectory.WriteOwnerOnly(path, Encoding.ASCII.GetBytes(ecdsa.ExportPkcs8PrivateKeyPem()));
            LogKeyCreated(logger, AuditAnchor.KeyIdOf(ecdsa));
        }

        // Rewritten at every start, so that the verifier's copy follows the key in use.
        DataDirectory.WriteOwnerOnly(Path.Combine(DataPath, AuditAnchor.PublicKeyFileName), Encoding.ASCII.GetBytes(ecdsa.ExportSubjectPublicKeyInfoPem()));
        return ecdsa;
    }

    private async Task<AuditAnchor?> ReadLastAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(AnchorPath))
        {
            return null;
        }

        AuditAnchor? found = null;
        foreach (var line in await File.ReadAllLinesAsync(AnchorPath, cancellationToken))
        {
            if (AuditAnchor.Parse(line) is { } anchor && anchor.IsSignedBy(key!))
            {
                found = anchor;
            }
        }

        return found;
    }

    private async Task AppendAsync(AuditAnchor anchor, CancellationToken cancellationToken)
    {
        var file = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(AnchorPath, file);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(anchor.ToLine() + "\n"), cancellationToken);
        // On disk before the anchor counts as written: an anchor lost in a power cut would leave records unanchored.
        stream.Flush(flushToDisk: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail anchored: anchor {Anchor} covers records up to {Sequence} (hash {Hash})")]
    private static partial void LogAnchored(ILogger logger, long anchor, long sequence, string hash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit anchor key {KeyId} created; keep a copy of its public half (audit-anchor-key.pub.pem) away from this machine to verify the trail with")]
    private static partial void LogKeyCreated(ILogger logger, string keyId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit trail no longer matches its last anchor: {Problem}. Run openward audit verify")]
    private static partial void LogTrailDoesNotMatch(ILogger logger, string problem);
}
