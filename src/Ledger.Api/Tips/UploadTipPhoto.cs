using Ledger.Api.EvidenceFiles;
using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Processing;
using Wolverine.Http;

namespace Ledger.Api.Tips;

/// <summary>A tip photo as stored: the SHA-256, size and type of the stripped image (the one a tip cites).</summary>
public sealed record TipPhoto(string Sha256, long Size, string MediaType);

public static class UploadTipPhotoEndpoint
{
    public const string Route = "/api/tips/evidence";
    /// <summary>The largest photo a reporter may send.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;
    public const long MaxBodyBytes = MaxBytes + UploadEvidenceEndpoint.MultipartOverhead;
    /// <summary>The most pixels decoded (a small file may claim a huge image; decoding takes 4 bytes a pixel).</summary>
    public const long MaxPixels = 24_000_000;
    /// <summary>Who uploaded a tip photo, in <c>ledger.evidence_files</c>: no person, and only such files may a tip cite.</summary>
    public const string Uploader = "public-tip";

    /// <summary>
    /// 举报附照片: anonymous, rate-limited like tips, one JPEG or PNG photo (multipart/form-data, at most
    /// <see cref="MaxBytes"/>, read by the body-size limit before this runs) for a county this ledger serves
    /// (<c>county</c>, default Xinfeng; 404 otherwise). The image is decoded, turned upright by its EXIF orientation and
    /// encoded again with ImageSharp with no metadata at all (EXIF, GPS, XMP, IPTC, ICC, PNG text): ONLY those bytes are
    /// stored, so the reporter's location and device never reach the ledger; the name sent is dropped too. Answers 201
    /// with the stripped file's <c>{sha256, size, mediaType}</c>, which the tip then cites (<c>photos</c> of
    /// <c>POST /api/tips</c>). 415 for anything that is not a JPEG or PNG image, 413 over the size or pixel limit.
    /// </summary>
    [WolverinePost(Route)]
    [AllowAnonymous]
    [NotTenanted]
    [EnableRateLimiting(SubmitTipEndpoint.RateLimit)]
    [ProducesResponseType<TipPhoto>(201)]
    [ProducesResponseType<ProblemDetails>(413)]
    [ProducesResponseType<ProblemDetails>(415)]
    public static async Task<IResult> Post(string? county, HttpContext context, IEvidenceStore files, EvidenceCatalog catalog, ServedCounties served,
        CancellationToken ct)
    {
        county = string.IsNullOrWhiteSpace(county) ? Counties.Xinfeng : county.Trim();
        if (!Counties.IsValidCode(county)) return ProblemAnswers.BadRequest("county must be a 6-digit statistics code").ToResult();
        if (!served.Serves(county)) return ProblemAnswers.NotFound($"this ledger takes no tips for county {county}").ToResult();
        if (!context.Request.HasFormContentType) return ProblemAnswers.BadRequest("send the photo as multipart/form-data").ToResult();
        var form = await context.Request.ReadFormAsync(ct);
        if (form.Files.FirstOrDefault() is not { Length: > 0 } upload) return ProblemAnswers.BadRequest("no photo in the body").ToResult();
        if (upload.Length > MaxBytes) return ProblemAnswers.TooLarge(MaxBytes).ToResult();

        using var original = new MemoryStream();
        await upload.CopyToAsync(original, ct);
        var mediaType = FileTypes.Sniff(original.GetBuffer().AsSpan(0, (int)Math.Min(original.Length, FileTypes.SniffBytes)));
        if (mediaType is not ("image/jpeg" or "image/png"))
            return ProblemAnswers.UnsupportedType("a tip may carry JPEG or PNG photos only; the type is read from the bytes, not the name").ToResult();
        original.Position = 0;
        byte[]? stripped;
        try
        {
            stripped = Stripped(original, mediaType);
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
        {
            return ProblemAnswers.UnsupportedType("the photo cannot be read as an image").ToResult();
        }
        if (stripped is null) return ProblemAnswers.TooLarge(MaxBytes).ToResult();

        using var content = new MemoryStream(stripped, writable: false);
        var stored = await files.PutAsync(county, content, ct);
        var file = new EvidenceFile(stored.Sha256, stored.Size, mediaType, mediaType == "image/png" ? "举报照片.png" : "举报照片.jpg");
        await catalog.RecordAsync(county, file, Uploader, ct);
        return Results.Created($"/api/evidence/{stored.Sha256}", new TipPhoto(stored.Sha256, stored.Size, mediaType));
    }

    /// <summary>
    /// The image decoded and encoded again, upright, without any metadata; null when it has more than
    /// <see cref="MaxPixels"/> pixels (checked from its header before decoding).
    /// </summary>
    public static byte[]? Stripped(Stream image, string mediaType)
    {
        var info = Image.Identify(image) ?? throw new UnknownImageFormatException("not an image");
        if ((long)info.Width * info.Height > MaxPixels) return null;
        image.Position = 0;
        using var decoded = Image.Load(image);
        decoded.Mutate(x => x.AutoOrient());
        decoded.Metadata.ExifProfile = null;
        decoded.Metadata.IccProfile = null;
        decoded.Metadata.IptcProfile = null;
        decoded.Metadata.XmpProfile = null;
        foreach (var frame in decoded.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.IccProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.XmpProfile = null;
        }
        decoded.Metadata.GetPngMetadata().TextData.Clear();
        using var output = new MemoryStream();
        if (mediaType == "image/png") decoded.SaveAsPng(output, new PngEncoder());
        else decoded.SaveAsJpeg(output, new JpegEncoder { Quality = 90 });
        return output.ToArray();
    }

    /// <summary>
    /// The photos a tip cites, as the store holds them, or a 400 naming the hashes that are not tip photos of the county
    /// (a tip cannot cite, and so expose, an office's file by knowing its hash).
    /// </summary>
    public static async Task<(IReadOnlyList<Evidence>? Photos, ProblemDetails? Refusal)> ResolveAsync(EvidenceCatalog catalog, string county,
        IReadOnlyList<string>? hashes, CancellationToken ct)
    {
        if (hashes is not { Count: > 0 }) return (null, null);
        var wanted = hashes.Select(h => (h ?? "").Trim().ToLowerInvariant()).Distinct().ToList();
        var found = await catalog.FindAsync(county, wanted, ct);
        var unknown = new List<string>();
        foreach (var sha in wanted)
            if (!found.ContainsKey(sha) || !await catalog.UploadedByAsync(county, sha, Uploader, ct)) unknown.Add(sha);
        if (unknown.Count > 0)
            return (null, ProblemAnswers.BadRequest($"no tip photo {string.Join(", ", unknown)}: upload each photo first (POST {Route})"));
        return (wanted.Select(sha => new Evidence("举报照片", EvidenceKind.Photo, sha, found[sha].Size, found[sha].MediaType)).ToList(), null);
    }
}
