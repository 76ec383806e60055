using Ledger.Api.Http;
using Ledger.Api.Tips;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Processing;
using Wolverine.Http;

namespace Ledger.Api.EvidenceFiles;

public static class GetEvidenceThumbnailEndpoint
{
    /// <summary>The longest side of a thumbnail, in pixels.</summary>
    public const int LongSide = 320;

    /// <summary>
    /// 照片缩略图: a JPEG at most <see cref="LongSide"/> px on its long side, turned upright by the photo's EXIF
    /// orientation and carrying no metadata (no EXIF, GPS, XMP, IPTC or ICC), for a JPEG or PNG photo the caller may
    /// download (the same rule as <c>GET /api/evidence/{sha256}</c>); 404 for anything else — a file that is not such a
    /// photo (a HEIC photo included: it is not decoded here), one the caller may not read, a hash the county does not hold.
    /// Made on demand and not kept: the stored bytes are hashed again before they are decoded (a damaged file is the
    /// download's 500 alarm, never a thumbnail), and no more than the tip photos' pixel limit is decoded.
    /// </summary>
    [WolverineGet("/api/evidence/{sha256}/thumbnail")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IResult> Get(string sha256, Write write, EvidenceCatalog catalog, IEvidenceStore files, ILoggerFactory logs,
        HttpContext context)
    {
        var file = await EvidenceAccess.ReadableAsync(write, catalog, sha256);
        if (file is null) return ProblemAnswers.NotFound($"no evidence file {sha256} you may read in this county").ToResult();
        if (file.MediaType is not ("image/jpeg" or "image/png"))
            return ProblemAnswers.NotFound($"no thumbnail of evidence {sha256}: thumbnails are made of JPEG and PNG photos only (this is {file.MediaType})").ToResult();
        var (stream, alarm) = await EvidenceAccess.OpenIntactAsync(files, logs, write.County, sha256, write.Cancellation);
        if (alarm is not null) return alarm;
        byte[]? thumbnail;
        await using (stream)
        {
            try
            {
                thumbnail = await ThumbnailAsync(stream!, write.Cancellation);
            }
            catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
            {
                return ProblemAnswers.NotFound($"no thumbnail of evidence {sha256}: it cannot be read as an image (download the file)").ToResult();
            }
        }
        if (thumbnail is null)
            return ProblemAnswers.NotFound(
                $"no thumbnail of evidence {sha256}: it has more than {UploadTipPhotoEndpoint.MaxPixels} pixels (download the file)").ToResult();
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.File(thumbnail, "image/jpeg", entityTag: new EntityTagHeaderValue($"\"{sha256}-{LongSide}\""));
    }

    /// <summary>
    /// The photo decoded (null when its header claims more than <see cref="UploadTipPhotoEndpoint.MaxPixels"/>, checked
    /// before decoding), turned upright, shrunk to fit <see cref="LongSide"/> (never enlarged), put on white (a PNG's
    /// transparency) and encoded as JPEG with no metadata.
    /// </summary>
    public static async Task<byte[]?> ThumbnailAsync(Stream photo, CancellationToken ct)
    {
        var info = await Image.IdentifyAsync(photo, ct) ?? throw new UnknownImageFormatException("not an image");
        if ((long)info.Width * info.Height > UploadTipPhotoEndpoint.MaxPixels) return null;
        photo.Position = 0;
        using var image = await Image.LoadAsync(photo, ct);
        image.Mutate(x => x.AutoOrient());
        if (Math.Max(image.Width, image.Height) > LongSide)
            image.Mutate(x => x.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(LongSide, LongSide) }));
        image.Mutate(x => x.BackgroundColor(Color.White));
        image.Metadata.ExifProfile = null;
        image.Metadata.IccProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.XmpProfile = null;
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.XmpProfile = null;
        }
        using var output = new MemoryStream();
        await image.SaveAsJpegAsync(output, new JpegEncoder { Quality = 80 }, ct);
        return output.ToArray();
    }
}
