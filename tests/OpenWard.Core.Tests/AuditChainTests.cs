using OpenWard.Core.Audit;

namespace OpenWard.Core.Tests;

public sealed class AuditChainTests
{
    private static List<AuditRecord> Trail(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var at = new DateTimeOffset(2026, 11, 23, 8, 0, i, TimeSpan.Zero);
            var hash = AuditChain.HashOf(i, at, "client:admin", "GET /api/v1/patients/{patientId}/latest", $"pat-{i}", "127.0.0.1", "200", previous);
            records.Add(new AuditRecord
            {
                Sequence = i, At = at, Actor = "client:admin", Action = "GET /api/v1/patients/{patientId}/latest", PatientId = $"pat-{i}",
                Source = "127.0.0.1", Outcome = "200", PreviousHash = previous, Hash = hash,
            });
            previous = hash;
        }

        return records;
    }

    [Fact]
    public void IntactTrail_Verifies() => Assert.Null(AuditChain.Verify(Trail(5)));

    [Fact]
    public void EditedRecord_IsNamed()
    {
        var trail = Trail(5);
        trail[2] = trail[2] with { Actor = "client:someone-else" };

        Assert.Equal(3, AuditChain.Verify(trail)!.Value.Sequence);
    }

    [Fact]
    public void RemovedRecord_IsNamed()
    {
        var trail = Trail(5);
        trail.RemoveAt(1);

        Assert.Equal((2, "record 2 is missing or out of order (found 3)"), AuditChain.Verify(trail)!.Value);
    }

    [Fact]
    public void ReorderedRecords_AreFound_EvenRenumbered()
    {
        var trail = Trail(5);
        (trail[1], trail[2]) = (trail[2] with { Sequence = 2 }, trail[1] with { Sequence = 3 });

        Assert.Equal(2, AuditChain.Verify(trail)!.Value.Sequence);
    }

    [Fact]
    public void FieldsCannotBeShiftedBetweenEachOther() =>
        Assert.NotEqual(
            AuditChain.HashOf(1, DateTimeOffset.UnixEpoch, "ab", "c", null, "s", "200", AuditChain.Genesis),
            AuditChain.HashOf(1, DateTimeOffset.UnixEpoch, "a", "bc", null, "s", "200", AuditChain.Genesis));
}
