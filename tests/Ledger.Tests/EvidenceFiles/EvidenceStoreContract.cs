using System.Security.Cryptography;
using Ledger.Api.EvidenceFiles;
using Ledger.Domain.Common;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.EvidenceFiles;

/// <summary>What every evidence store must do; run against each implementation.</summary>
public abstract class EvidenceStoreContract(LedgerFixture fixture) : IntegrationTest(fixture)
{
    protected abstract IEvidenceStore Store { get; }

    [Fact]
    public async Task Stores_by_content_and_gives_the_same_bytes_back_in_pieces()
    {
        const long length = 2 * 1024 * 1024 + 12345;   // three chunks of the PostgreSQL store
        var stored = await Store.PutAsync(Counties.Xinfeng, new GeneratedStream(length), CancellationToken.None);
        Assert.Equal(GeneratedStream.HashOf(length), stored.Sha256);
        Assert.Equal(length, stored.Size);

        await using var read = await Store.OpenAsync(Counties.Xinfeng, stored.Sha256, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(stored.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(read)));

        // Seeking (for range requests): the bytes from the middle are those of the generator there.
        read.Position = length - 100;
        var tail = new byte[100];
        Assert.Equal(100, await EvidenceHashing.FillAsync(read, tail, CancellationToken.None));
        var expected = new byte[length];
        Assert.Equal(length, new GeneratedStream(length).Read(expected, 0, (int)length));
        Assert.Equal(expected[^100..], tail);
    }

    [Fact]
    public async Task The_same_bytes_twice_are_one_file()
    {
        var bytes = EvidenceFilesMaker.Pdf();
        var first = await Store.PutAsync(Counties.Xinfeng, new MemoryStream(bytes), CancellationToken.None);
        var second = await Store.PutAsync(Counties.Xinfeng, new MemoryStream(bytes), CancellationToken.None);
        Assert.Equal(first, second);
        Assert.Equal(EvidenceFilesMaker.Sha256(bytes), first.Sha256);
        Assert.Equal(1, await CopiesAsync(first.Sha256));
    }

    [Fact]
    public async Task A_stream_that_fails_half_way_leaves_nothing()
    {
        var tooLarge = new LimitedStream(new GeneratedStream(3 * 1024 * 1024), 2 * 1024 * 1024);
        await Assert.ThrowsAsync<EvidenceTooLargeException>(() => Store.PutAsync(Counties.Xinfeng, tooLarge, CancellationToken.None));
        Assert.Equal(0, await LeftOverAsync());
        Assert.Null(await Store.OpenAsync(Counties.Xinfeng, GeneratedStream.HashOf(2 * 1024 * 1024), CancellationToken.None));
    }

    /// <summary>How many stored copies of the file there are (1 when stored once).</summary>
    protected abstract Task<long> CopiesAsync(string sha256);

    /// <summary>Anything left behind by an upload that failed (staging rows, temporary files).</summary>
    protected abstract Task<long> LeftOverAsync();
}

public sealed class PostgresEvidenceStoreTests(LedgerFixture fixture) : EvidenceStoreContract(fixture)
{
    protected override IEvidenceStore Store => new PostgresEvidenceStore(Fixture.Store);

    protected override async Task<long> CopiesAsync(string sha256) =>
        await ScalarAsync($"select count(*) from ledger.evidence_chunks where sha256 = '{sha256}' and n = 0");

    protected override async Task<long> LeftOverAsync() =>
        await ScalarAsync("select (select count(*) from ledger.evidence_uploads) + (select count(*) from ledger.evidence_chunks)");

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_TEST_DB"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

public sealed class FileSystemEvidenceStoreTests(LedgerFixture fixture) : EvidenceStoreContract(fixture), IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"ledger-evidence-{Guid.NewGuid():N}");

    protected override IEvidenceStore Store => new FileSystemEvidenceStore(_directory);

    protected override Task<long> CopiesAsync(string sha256) =>
        Task.FromResult((long)Directory.GetFiles(_directory, sha256, SearchOption.AllDirectories).Length);

    protected override Task<long> LeftOverAsync() =>
        Task.FromResult(Directory.Exists(_directory) ? (long)Directory.GetFiles(_directory, "*", SearchOption.AllDirectories).Length : 0L);

    public void Dispose()
    {
        if (!Directory.Exists(_directory)) return;
        foreach (var file in Directory.GetFiles(_directory, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(_directory, recursive: true);
    }
}
