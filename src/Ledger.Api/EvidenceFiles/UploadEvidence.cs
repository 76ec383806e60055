using Ledger.Api.Http;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace Ledger.Api.EvidenceFiles;

public static class UploadEvidenceEndpoint
{
    public const string Route = "/api/evidence";
    /// <summary>What a multipart body may carry beyond the file itself (boundaries, headers of the part).</summary>
    public const long MultipartOverhead = 64 * 1024;

    /// <summary>
    /// 上传佐证材料: one file in a <c>multipart/form-data</c> body (the first part with a file name),
    /// streamed to the store — never whole in memory, never buffered by the body-size middleware
    /// (<see cref="Setup.RequestLimits.Streams"/>). The type is sniffed from the first bytes (415 when it
    /// is not one the ledger keeps); over <c>Ledger:Evidence:MaxBytes</c> answers 413 and keeps nothing.
    /// Answers 201 with <c>{sha256, size, mediaType, name}</c>; the same bytes twice are stored once.
    /// </summary>
    [WolverinePost(Route)]
    [Authorize(Roles = $"{Roles.Inspector},{Roles.InspectionOffice},{Roles.PovertyOffice},{Roles.Respondent}")]
    [ProducesResponseType<EvidenceFile>(201)]
    public static async Task<IResult> Post(HttpContext context, Caller caller, IEvidenceStore files, EvidenceCatalog catalog,
        EvidenceSettings settings)
    {
        var ct = context.RequestAborted;
        var request = context.Request;
        if (request.ContentLength > settings.MaxBytes + MultipartOverhead) return ProblemAnswers.TooLarge(settings.MaxBytes).ToResult();
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = settings.MaxBytes + MultipartOverhead;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            return ProblemAnswers.BadRequest("send the file as multipart/form-data").ToResult();

        var reader = new MultipartReader(boundary, request.Body);
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
            if (string.IsNullOrWhiteSpace(name)) continue;
            name = Path.GetFileName(name.Trim());
            if (name.Length > 300) name = name[^300..];

            var body = new LimitedStream(section.Body, settings.MaxBytes);
            try
            {
                var head = new byte[PhotoMetadata.HeadBytes];
                var headLength = await EvidenceHashing.FillAsync(body, head, ct);
                if (headLength == 0) return ProblemAnswers.BadRequest("the file is empty").ToResult();
                var mediaType = FileTypes.Sniff(head.AsSpan(0, Math.Min(headLength, FileTypes.SniffBytes)));
                if (mediaType is null)
                    return ProblemAnswers.UnsupportedType(
                        "the file's content is not a type the ledger keeps (JPEG/PNG/HEIC photos, PDF, Office/WPS documents, plain text, " +
                        "MP3/M4A/WAV/AMR audio, MP4/3GP video); the type is read from the bytes, not the name").ToResult();
                var content = new PrefixedStream(head.AsMemory(0, headLength), body);
                var stored = await files.PutAsync(caller.County, content, ct);
                var photo = mediaType == "image/jpeg" ? PhotoMetadata.Read(head.AsSpan(0, headLength))
                    : PhotoMetadata.ReadFromStore(mediaType) ? await StoredPhotoMetadataAsync(files, caller.County, stored.Sha256, ct)
                    : null;
                var file = new EvidenceFile(stored.Sha256, stored.Size, mediaType, name, photo);
                await catalog.RecordAsync(caller.County, file, caller.User, ct);
                return Results.Created($"{Route}/{stored.Sha256}", file);
            }
            catch (EvidenceTooLargeException tooLarge)
            {
                return ProblemAnswers.TooLarge(tooLarge.Max).ToResult();
            }
        }
        return ProblemAnswers.BadRequest("no file in the body: send one part with a file name (Content-Disposition: form-data; name=\"file\"; filename=\"…\")").ToResult();
    }

    /// <summary>A PNG's or HEIC's EXIF, read from the stored file (its <c>eXIf</c> chunk or Exif item may lie anywhere in it).</summary>
    private static async Task<PhotoMetadata?> StoredPhotoMetadataAsync(IEvidenceStore files, string county, string sha256, CancellationToken ct)
    {
        await using var stored = await files.OpenAsync(county, sha256, ct);
        return stored is null ? null : PhotoMetadata.ReadStored(stored);
    }
}

/// <summary>The bytes already read (for sniffing) followed by the rest of the stream.</summary>
public sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> _prefix = prefix;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_prefix.IsEmpty) return rest.ReadAsync(buffer, ct);
        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return ValueTask.FromResult(n);
    }
}
