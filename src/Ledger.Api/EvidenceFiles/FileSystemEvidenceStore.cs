using System.Security.Cryptography;

namespace Ledger.Api.EvidenceFiles;

/// <summary>
/// A store for large installations: each file at <c>{Directory}/{first two hex digits}/{sha256}</c>,
/// written first to a temporary file beside it while hashing, then moved under its hash (or dropped
/// when the store already holds those bytes). Files are made read-only. The county does not split the
/// directory: the same bytes are one file.
/// </summary>
public sealed class FileSystemEvidenceStore(string directory) : IEvidenceStore
{
    public const string ConfigurationKey = "Ledger:Evidence:Directory";

    public string Directory { get; } = directory;

    public async Task<StoredFile> PutAsync(string county, Stream content, CancellationToken ct)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, $".upload-{Guid.NewGuid():N}");
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    size += read;
                }
                await file.FlushAsync(ct);
            }
            var hash = EvidenceHashing.Hex(sha.GetHashAndReset());
            var target = PathOf(hash);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.SetAttributes(temporary, FileAttributes.ReadOnly);
                try
                {
                    File.Move(temporary, target);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Another upload of the same bytes got there first.
                }
            }
            return new StoredFile(hash, size);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.SetAttributes(temporary, FileAttributes.Normal);
                File.Delete(temporary);
            }
        }
    }

    public Task<Stream?> OpenAsync(string county, string sha256, CancellationToken ct)
    {
        var path = PathOf(sha256);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null);
    }

    /// <summary>Where the file with this hash lies.</summary>
    public string PathOf(string sha256) => Path.Combine(Directory, sha256[..2], sha256);
}
