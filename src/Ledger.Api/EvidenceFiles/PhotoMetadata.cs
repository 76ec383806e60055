using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;

namespace Ledger.Api.EvidenceFiles;

/// <summary>When and where a photo says it was taken (EXIF): camera-local time, and WGS-84 degrees (south and west negative).</summary>
public sealed record PhotoMetadata(DateTime? TakenAt, double? Latitude, double? Longitude)
{
    /// <summary>How many leading bytes of a JPEG are searched for its EXIF segment (APP1 comes first, and is at most 64 KiB).</summary>
    public const int HeadBytes = 128 * 1024;

    /// <summary>
    /// A tiny EXIF reader: the APP1 "Exif" segment of a JPEG, its TIFF structure (either byte order),
    /// <c>DateTimeOriginal</c> (or IFD0 <c>DateTime</c>) and the GPS latitude and longitude. Null when
    /// the photo carries none of them; never throws on malformed input (what it cannot read, it leaves out).
    /// </summary>
    public static PhotoMetadata? Read(ReadOnlySpan<byte> jpeg)
    {
        try
        {
            var tiff = ExifOf(jpeg);
            if (tiff.IsEmpty || tiff.Length < 8) return null;
            var big = tiff[0] == (byte)'M';
            var ifd0 = (int)U32(tiff, 4, big);
            DateTime? taken = null;
            double? lat = null, lon = null;
            int exifIfd = 0, gpsIfd = 0;
            foreach (var (tag, type, count, at) in Entries(tiff, ifd0, big))
            {
                if (tag == 0x8769) exifIfd = (int)U32(tiff, at, big);
                else if (tag == 0x8825) gpsIfd = (int)U32(tiff, at, big);
                else if (tag == 0x0132) taken ??= Time(Ascii(tiff, type, count, at, big));
            }
            if (exifIfd > 0)
                foreach (var (tag, type, count, at) in Entries(tiff, exifIfd, big))
                    if (tag == 0x9003 && Time(Ascii(tiff, type, count, at, big)) is { } original) taken = original;
            if (gpsIfd > 0)
            {
                string? latRef = null, lonRef = null;
                foreach (var (tag, type, count, at) in Entries(tiff, gpsIfd, big))
                {
                    if (tag == 1) latRef = Ascii(tiff, type, count, at, big);
                    else if (tag == 2 && type == 5 && count == 3) lat = Degrees(tiff, (int)U32(tiff, at, big), big);
                    else if (tag == 3) lonRef = Ascii(tiff, type, count, at, big);
                    else if (tag == 4 && type == 5 && count == 3) lon = Degrees(tiff, (int)U32(tiff, at, big), big);
                }
                if (latRef?.StartsWith('S') == true) lat = -lat;
                if (lonRef?.StartsWith('W') == true) lon = -lon;
                if (lat is not (>= -90 and <= 90) || lon is not (>= -180 and <= 180)) lat = lon = null;
            }
            return taken is null && lat is null ? null : new PhotoMetadata(taken, lat, lon);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>The photo types whose metadata <see cref="ReadStored"/> reads from the whole stored file.</summary>
    public static bool ReadFromStore(string mediaType) => mediaType is "image/png" or "image/heic" or "image/heif";

    /// <summary>
    /// When and where a PNG (its <c>eXIf</c> chunk) or a HEIC/HEIF photo (its Exif item) says it was taken, read with
    /// MetadataExtractor from the stored file (a seekable stream read in pieces): <c>DateTimeOriginal</c>
    /// (or IFD0 <c>DateTime</c>) and the GPS position, as for a JPEG. Null when it carries none; never throws on
    /// malformed input.
    /// </summary>
    public static PhotoMetadata? ReadStored(Stream photo)
    {
        try
        {
            var directories = MetadataExtractor.ImageMetadataReader.ReadMetadata(photo);
            DateTime? taken = null;
            foreach (var sub in directories.OfType<ExifSubIfdDirectory>())
                if (sub.TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var original)) { taken = original; break; }
            if (taken is null)
                foreach (var ifd0 in directories.OfType<ExifIfd0Directory>())
                    if (ifd0.TryGetDateTime(ExifDirectoryBase.TagDateTime, out var time)) { taken = time; break; }
            var place = directories.OfType<GpsDirectory>().Select(g => g.GetGeoLocation()).FirstOrDefault(g => g is not null);
            double? lat = place is null ? null : Math.Round(place.Latitude, 6), lon = place is null ? null : Math.Round(place.Longitude, 6);
            if (lat is not (>= -90 and <= 90) || lon is not (>= -180 and <= 180)) lat = lon = null;
            return taken is null && lat is null ? null : new PhotoMetadata(taken is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Unspecified) : null, lat, lon);
        }
        catch (Exception e) when (e is MetadataExtractor.ImageProcessingException or IOException or ArgumentException or IndexOutOfRangeException
                                       or OverflowException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    private static ReadOnlySpan<byte> ExifOf(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return default;
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF)
        {
            var marker = jpeg[at + 1];
            if (marker is 0xDA or 0xD9) break;   // start of scan: no more metadata segments
            var length = jpeg[at + 2] << 8 | jpeg[at + 3];
            if (length < 2 || at + 2 + length > jpeg.Length) break;
            var body = jpeg.Slice(at + 4, length - 2);
            if (marker == 0xE1 && body.Length > 14 && body[..6].SequenceEqual("Exif\0\0"u8)) return body[6..];
            at += 2 + length;
        }
        return default;
    }

    private static IEnumerable<(int Tag, int Type, uint Count, int ValueAt)> Entries(ReadOnlySpan<byte> tiff, int ifd, bool big)
    {
        var list = new List<(int, int, uint, int)>();
        if (ifd < 8 || ifd + 2 > tiff.Length) return list;
        var n = U16(tiff, ifd, big);
        for (var i = 0; i < n && ifd + 2 + 12 * (i + 1) <= tiff.Length; i++)
        {
            var e = ifd + 2 + 12 * i;
            list.Add((U16(tiff, e, big), U16(tiff, e + 2, big), U32(tiff, e + 4, big), e + 8));
        }
        return list;
    }

    private static string? Ascii(ReadOnlySpan<byte> tiff, int type, uint count, int at, bool big)
    {
        if (type != 2 || count == 0 || count > 64) return null;
        var start = count <= 4 ? at : (int)U32(tiff, at, big);
        return Encoding.ASCII.GetString(tiff.Slice(start, (int)count)).TrimEnd('\0', ' ');
    }

    private static DateTime? Time(string? text) =>
        DateTime.TryParseExact(text, "yyyy:MM:dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static double? Degrees(ReadOnlySpan<byte> tiff, int at, bool big)
    {
        var value = Rational(tiff, at, big) + Rational(tiff, at + 8, big) / 60 + Rational(tiff, at + 16, big) / 3600;
        return double.IsNaN(value) ? null : Math.Round(value, 6);
    }

    private static double Rational(ReadOnlySpan<byte> tiff, int at, bool big)
    {
        var d = U32(tiff, at + 4, big);
        return d == 0 ? double.NaN : (double)U32(tiff, at, big) / d;
    }

    private static int U16(ReadOnlySpan<byte> b, int at, bool big) =>
        big ? BinaryPrimitives.ReadUInt16BigEndian(b.Slice(at, 2)) : BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(at, 2));

    private static uint U32(ReadOnlySpan<byte> b, int at, bool big) =>
        big ? BinaryPrimitives.ReadUInt32BigEndian(b.Slice(at, 4)) : BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(at, 4));
}
