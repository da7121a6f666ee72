using System.Data.Common;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenWard.Server.Notes;
using OpenWard.Server.People;
using OpenWard.Server.Protection;
using OpenWard.Server.Storage;
using OpenWard.Testing;

namespace OpenWard.Server.Tests.Stores;

/// <summary>
/// Clinical notes are kept the same on SQLite and on PostgreSQL: written once and read back newest first for
/// their patient, their text sealed at rest, and none on a patient who is not on record. (Notes here are by
/// clients, whose audit names are shown as they are: a person's name is the people store's, not on PostgreSQL yet.)
/// </summary>
public sealed class ClinicalNotesStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Notes_AreListedNewestFirst_ForTheirPatientOnly_AsManyAsAsked(string engine)
    {
        await using var notes = await WrittenNotes.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var first = await notes.Notes.AddAsync("pat-1", "client:ehr", "Resting rate runs low on bisoprolol.", ct);
        notes.Clock.Advance(TimeSpan.FromMinutes(5));
        await notes.Notes.AddAsync("pat-2", "client:ehr", "Another patient's note.", ct);
        notes.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await notes.Notes.AddAsync("pat-1", "client:ehr", "Weight up 1.2 kg since Monday; fluid review booked.", ct);

        Assert.Equal(("pat-1", "client:ehr", null, Start, "Resting rate runs low on bisoprolol."), (first.PatientId, first.Author, first.AuthorRole, first.WrittenAt, first.Text));
        Assert.Equal([second, first], await notes.Notes.ListAsync("pat-1", 10, ct));
        Assert.Equal([second], await notes.Notes.ListAsync("pat-1", 1, ct));
        Assert.Empty(await notes.Notes.ListAsync("pat-3", 10, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task NotesOfTheSameMillisecond_ComeInOneSteadyOrder(string engine)
    {
        await using var notes = await WrittenNotes.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var together = new List<ClinicalNote>();
        for (var i = 0; i < 4; i++)
        {
            together.Add(await notes.Notes.AddAsync("pat-1", "client:ehr", $"Note {i}.", ct));
        }

        notes.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await notes.Notes.AddAsync("pat-1", "client:ehr", "Later.", ct);

        // Newest first; of notes written in the same millisecond, the same order at every read (by their ids).
        Assert.Equal([later, .. together.OrderByDescending(n => n.Id, StringComparer.Ordinal)], await notes.Notes.ListAsync("pat-1", 10, ct));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task TheText_IsSealedAtRest(string engine)
    {
        await using var notes = await WrittenNotes.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var note = await notes.Notes.AddAsync("pat-1", "client:ehr", "Discussed palliative options with the family.", ct);

        var stored = (string)(await StoredValues.ScalarAsync(notes.Store.Database, "SELECT text FROM clinical_notes WHERE id = @id;", ("@id", note.Id)))!;

        Assert.StartsWith("enc1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("palliative", stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ANoteOnAPatientNotOnRecord_IsRefused(string engine)
    {
        await using var notes = await WrittenNotes.CreateAsync(engine);
        var ct = TestContext.Current.CancellationToken;

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => notes.Notes.AddAsync("pat-none", "client:ehr", "Misfiled.", ct));

        Assert.True(refused.IsConstraintViolation(), refused.Message);
        Assert.Empty(await notes.Notes.ListAsync("pat-none", 10, ct));
    }

    // The notes store on a fresh store of one engine, with patients pat-1 and pat-2 on record, its own clock, and its sealing keys in the store.
    private sealed class WrittenNotes : IAsyncDisposable
    {
        private WrittenNotes(StoreEngine store, FieldProtector protector, FakeTimeProvider clock)
        {
            Store = store;
            Clock = clock;
            var users = new UserDirectory(store.Database, protector, Options.Create(new SignInOptions()), Clock);
            Notes = new ClinicalNotes(store.Database, protector, users, Clock);
        }

        public StoreEngine Store { get; }

        public FakeTimeProvider Clock { get; }

        public ClinicalNotes Notes { get; }

        public static async Task<WrittenNotes> CreateAsync(string engine)
        {
            var store = await StoreEngine.CreateAsync(engine, [.. PatientRecords.Schemas, NotesSchema.Definition, EncryptionSchema.Definition]);
            await PatientRecords.AddAsync(store.Database, "pat-1");
            await PatientRecords.AddAsync(store.Database, "pat-2");
            var clock = new FakeTimeProvider(Start);
            return new WrittenNotes(store, await SealingKeys.StartProtectorAsync(store.Database, clock, SealingKeys.Of("clinical_notes")), clock);
        }

        public ValueTask DisposeAsync() => Store.DisposeAsync();
    }
}
