using System.Security.Cryptography;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Marten;
using Npgsql;

namespace Ledger.Api.EvidenceFiles;

/// <summary>
/// The default store: the bytes in <c>ledger.evidence_chunks</c> (1 MiB rows, by SHA-256) of the
/// database holding the county, so a backup of the database holds the evidence. An upload goes into
/// <c>ledger.evidence_uploads</c> piece by piece inside one transaction (its hash is known only at the
/// end), then is copied under its hash if the store does not hold it yet, and the staging rows are
/// deleted before the commit. Reading fetches one chunk at a time.
/// </summary>
public sealed class PostgresEvidenceStore(IDocumentStore store) : IEvidenceStore
{
    public const int ChunkSize = 1024 * 1024;
    private const string Chunks = $"{MartenSetup.Schema}.{LedgerTables.EvidenceChunksName}";
    private const string Uploads = $"{MartenSetup.Schema}.{LedgerTables.EvidenceUploadsName}";

    public async Task<StoredFile> PutAsync(string county, Stream content, CancellationToken ct)
    {
        var database = await store.DatabaseOfAsync(county);
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var upload = Guid.NewGuid();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        long size = 0;
        var n = 0;
        int read;
        while ((read = await EvidenceHashing.FillAsync(content, buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            size += read;
            await using var insert = new NpgsqlCommand($"insert into {Uploads} (upload, n, bytes) values ($1, $2, $3)", connection, transaction);
            insert.Parameters.AddWithValue(upload);
            insert.Parameters.AddWithValue(n++);
            insert.Parameters.Add(new NpgsqlParameter { Value = new ArraySegment<byte>(buffer, 0, read) });
            await insert.ExecuteNonQueryAsync(ct);
        }
        var hash = EvidenceHashing.Hex(sha.GetHashAndReset());
        await using (var keep = new NpgsqlCommand(
            $"insert into {Chunks} (sha256, n, bytes) select $1, n, bytes from {Uploads} where upload = $2 on conflict do nothing", connection, transaction))
        {
            keep.Parameters.AddWithValue(hash);
            keep.Parameters.AddWithValue(upload);
            await keep.ExecuteNonQueryAsync(ct);
        }
        await using (var clear = new NpgsqlCommand($"delete from {Uploads} where upload = $1", connection, transaction))
        {
            clear.Parameters.AddWithValue(upload);
            await clear.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return new StoredFile(hash, size);
    }

    public async Task<Stream?> OpenAsync(string county, string sha256, CancellationToken ct)
    {
        var database = await store.DatabaseOfAsync(county);
        var connection = await database.OpenConnectionAsync(ct);
        await using var count = new NpgsqlCommand($"select count(*), coalesce(sum(length(bytes)), 0) from {Chunks} where sha256 = $1", connection);
        count.Parameters.AddWithValue(sha256);
        await using var reader = await count.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (chunks, length) = (reader.GetInt64(0), reader.GetInt64(1));
        await reader.DisposeAsync();
        if (chunks == 0)
        {
            await connection.DisposeAsync();
            return null;
        }
        return new ChunkStream(connection, sha256, length);
    }

    /// <summary>A seekable stream over a file's chunks: holds one chunk at a time, fetched when the position reaches it.</summary>
    private sealed class ChunkStream(NpgsqlConnection connection, string sha256, long length) : Stream
    {
        private byte[]? _chunk;
        private int _chunkIndex = -1;
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => _position = value; }
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_position >= length || buffer.Length == 0) return 0;
            var index = (int)(_position / ChunkSize);
            if (index != _chunkIndex)
            {
                await using var select = new NpgsqlCommand($"select bytes from {Chunks} where sha256 = $1 and n = $2", connection);
                select.Parameters.AddWithValue(sha256);
                select.Parameters.AddWithValue(index);
                _chunk = (byte[]?)await select.ExecuteScalarAsync(ct) ?? [];
                _chunkIndex = index;
            }
            var at = (int)(_position - (long)index * ChunkSize);
            var n = Math.Min(buffer.Length, _chunk!.Length - at);
            if (n <= 0) return 0;
            _chunk.AsMemory(at, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) connection.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await connection.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
