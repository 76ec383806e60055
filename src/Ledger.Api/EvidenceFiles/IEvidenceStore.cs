using System.Security.Cryptography;

namespace Ledger.Api.EvidenceFiles;

/// <summary>A file as stored: its SHA-256 (lowercase hex) and size in bytes.</summary>
public sealed record StoredFile(string Sha256, long Size);

/// <summary>
/// Where the bytes of evidence files live, by content (SHA-256): PostgreSQL by default
/// (<see cref="PostgresEvidenceStore"/>), or a directory (<see cref="FileSystemEvidenceStore"/>,
/// <c>Ledger:Evidence:Directory</c>). Files are immutable: the same bytes are stored once, and
/// nothing is ever replaced or removed through it. What a file is (its type, name, uploader) is
/// kept beside it in <c>ledger.evidence_files</c>, whichever store holds the bytes.
/// </summary>
public interface IEvidenceStore
{
    /// <summary>
    /// Stores what <paramref name="content"/> gives, read once in pieces (never whole in memory), for
    /// <paramref name="county"/>; the hash is computed while reading. If the stream throws (too large,
    /// aborted), nothing is kept.
    /// </summary>
    Task<StoredFile> PutAsync(string county, Stream content, CancellationToken ct);

    /// <summary>The stored bytes of a file, as a seekable stream read in pieces, or null when the store does not hold it.</summary>
    Task<Stream?> OpenAsync(string county, string sha256, CancellationToken ct);
}

/// <summary>A body longer than <c>Ledger:Evidence:MaxBytes</c> (413).</summary>
public sealed class EvidenceTooLargeException(long max) : Exception($"an evidence file may be at most {max} bytes")
{
    public long Max { get; } = max;
}

/// <summary>Reads another stream up to a limit, and throws <see cref="EvidenceTooLargeException"/> at the first byte beyond it.</summary>
public sealed class LimitedStream(Stream inner, long max) : Stream
{
    private long _read;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        _read += n;
        if (_read > max) throw new EvidenceTooLargeException(max);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
}

/// <summary>Helpers shared by the stores.</summary>
public static class EvidenceHashing
{
    public static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how many bytes.</summary>
    public static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), ct);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>The SHA-256 of a whole stream, read in pieces.</summary>
    public static async Task<string> HashAsync(Stream stream, CancellationToken ct) => Hex(await SHA256.HashDataAsync(stream, ct));
}
