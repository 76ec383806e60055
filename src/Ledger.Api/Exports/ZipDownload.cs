using System.IO.Compression;

namespace Ledger.Api.Exports;

/// <summary>
/// A zip archive as a download (the audit bundle, Excel workbooks). The zip library writes the end of
/// each entry synchronously when it closes it, which a server response refuses (Kestrel forbids
/// synchronous I/O): the archive is made in a temporary file, deleted when closed, and sent from there
/// asynchronously — memory stays bounded, and a failure while making it still answers problem details,
/// because nothing has been sent yet.
/// </summary>
public static class ZipDownload
{
    public static IResult Of(string contentType, string fileName, Func<ZipArchive, Task> fill) => Results.Stream(async body =>
    {
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null))
            await fill(zip);
        file.Position = 0;
        await file.CopyToAsync(body);
    }, contentType, fileName);

    /// <summary>Adds an entry and lets <paramref name="write"/> fill it.</summary>
    public static async Task EntryAsync(ZipArchive zip, string name, Func<Stream, Task> write, CompressionLevel level = CompressionLevel.Optimal)
    {
        await using var stream = await zip.CreateEntry(name, level).OpenAsync();
        await write(stream);
    }
}
