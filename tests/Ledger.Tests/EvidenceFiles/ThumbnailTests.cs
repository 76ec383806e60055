using Ledger.Api.EvidenceFiles;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Rational = SixLabors.ImageSharp.Rational;
using static Ledger.Tests.EvidenceFiles.EvidenceFilesMaker;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.EvidenceFiles;

/// <summary>
/// Thumbnails of photos (<c>GET /api/evidence/{sha256}/thumbnail</c>): a small upright JPEG without metadata, for whoever
/// may download the photo; and the EXIF time and place of a PNG shown beside the record as a JPEG's are.
/// </summary>
public sealed class ThumbnailTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Town = "440233100";

    /// <summary>
    /// A real 800×600 JPEG stored sideways — left half red, right half blue — whose EXIF orientation (6: turn 90° clockwise)
    /// makes it a 600×800 photo with red on top; it carries a GPS position too.
    /// </summary>
    private static byte[] SidewaysPhoto()
    {
        using var image = new Image<Rgb24>(800, 600, new Rgb24(0, 0, 230));
        for (var y = 0; y < 600; y++)
            for (var x = 0; x < 400; x++) image[x, y] = new Rgb24(230, 0, 0);
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.Orientation, (ushort)6);
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(24, 1), new Rational(13, 1), new Rational(30, 1)]);
        image.Metadata.ExifProfile = exif;
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }

    /// <summary>A real 64×48 PNG whose EXIF (an <c>eXIf</c> chunk, written by ImageSharp) says when and where: 2017-07-03 10:15:30, 24.225 N 114.12 E.</summary>
    private static byte[] PngWithExifGps()
    {
        using var image = new Image<Rgba32>(64, 48, new Rgba32(40, 160, 40, 255));
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.DateTimeOriginal, "2017:07:03 10:15:30");
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(24, 1), new Rational(13, 1), new Rational(30, 1)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(114, 1), new Rational(7, 1), new Rational(12, 1)]);
        image.Metadata.ExifProfile = exif;
        using var output = new MemoryStream();
        image.SaveAsPng(output);
        return output.ToArray();
    }

    /// <summary>
    /// A real 64×48 HEIC photo (HEVC, made by libheif's <c>heif-enc</c> 1.15.1 with x265 from a PNG carrying the EXIF of
    /// <see cref="EvidenceFilesMaker.JpegWithExifGps"/>: 2017-07-03 10:15:30, 24.225 N 114.12 E; see make_heic_sample.py).
    /// </summary>
    private static byte[] HeicWithExifGps() => Convert.FromBase64String(
        "AAAAHGZ0eXBoZWljAAAAAG1pZjFoZWljbWlhZgAAAeRtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAAA5waXRtAAAAAAACAAAAEGlkYXQAAAAAAEAAMAAAAExpbG9jAQAAAERAAAMAAQAAAAAAAAIIAAEAAAAAAAAAHQACAAEAAAAAAAAAAQAAAAAAAAAIAAMAAAAAAAACJQABAAAAAAAAALYAAABNaWluZgAAAAAAAwAAABVpbmZlAgAAAQABAABodmMxAAAAABVpbmZlAgAAAAACAABncmlkAAAAABVpbmZlAgAAAQADAABFeGlmAAAAANhpcHJwAAAAtmlwY28AAAB2aHZjQwEDcAAAAAAAAAAAAB7wAPz9+PgAAA8DIAABABhAAQwB//8DcAAAAwCQAAADAAADAB66AkAhAAEAKkIBAQNwAAADAJAAAAMAAAMAHqAggQWW6uSmubgQEDAgAAADACAAAAMAISIAAQAGRAHBc8CJAAAAFGlzcGUAAAAAAAAAQAAAAEAAAAAUaXNwZQAAAAAAAABAAAAAMAAAABBwaXhpAAAAAAMICAgAAAAaaXBtYQAAAAAAAAACAAECgQIAAgIDhAAAAChpcmVmAAAAAAAAAA5kaW1nAAIAAQABAAAADmNkc2MAAwABAAIAAADbbWRhdAAAABkoAa8TgPgQ4ad/40o//tr88Pkw1vzopDPgAAAAAE1NACoAAAAIAAKHaQAEAAAAAQAAACaIJQAEAAAAAQAAAEwAAAAAAAGQAwACAAAAFAAAADgAAAAAMjAxNzowNzowMyAxMDoxNTozMAAABAABAAIAAAACTgAAAAACAAUAAAADAAAAggADAAIAAAACRQAAAAAEAAUAAAADAAAAmgAAAAAAAAAYAAAAAQAAAA0AAAABAAAAHgAAAAEAAAByAAAAAQAAAAcAAAABAAAADAAAAAE=");

    private async Task<string> UploadAsync(byte[] bytes, string name, string token) =>
        (await Expect(await Given.Send(HttpMethod.Post, "/api/evidence", token, Multipart(bytes, name)), 201)).GetProperty("sha256").GetString()!;

    private static object FindingCiting(string sha256) => new
    {
        town = Town, village = "440233100201", area = 4, method = "field-investigation", severity = "serious",
        description = "贫困户识别公示期不足7天",
        evidence = new[] { new { title = "村委会公示栏照片", kind = "photo", sha256 } },
        observedOn = "2017-07-03",
    };

    private Task<HttpResult> Thumbnail(string sha256, string token) => Given.Send(HttpMethod.Get, $"/api/evidence/{sha256}/thumbnail", token);

    [Fact]
    public async Task A_thumbnail_is_an_upright_jpeg_of_at_most_320_pixels_without_metadata()
    {
        var photo = SidewaysPhoto();
        Assert.Single(ImageMetadataReader.ReadMetadata(new MemoryStream(photo)).OfType<GpsDirectory>());   // the original does carry GPS
        var token = Given.Inspector();
        var sha = await UploadAsync(photo, "IMG_0002.jpg", token);

        var response = await Thumbnail(sha, token);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("image/jpeg", response.ContentType);
        using var thumbnail = Image.Load<Rgb24>(response.Body, out var format);
        Assert.IsType<JpegFormat>(format);
        Assert.Equal((240, 320), (thumbnail.Width, thumbnail.Height));   // 600×800 upright, long side 320
        Assert.True(thumbnail[120, 40].R > 180 && thumbnail[120, 40].B < 60, $"the top is {thumbnail[120, 40]}, not red: not upright");
        Assert.True(thumbnail[120, 280].B > 180 && thumbnail[120, 280].R < 60, $"the bottom is {thumbnail[120, 280]}, not blue");
        Assert.Null(thumbnail.Metadata.ExifProfile);
        var read = ImageMetadataReader.ReadMetadata(new MemoryStream(response.Body));
        Assert.Empty(read.OfType<GpsDirectory>());
        Assert.Empty(read.OfType<ExifIfd0Directory>());
    }

    [Fact]
    public async Task The_thumbnail_follows_the_download_rule_and_is_404_for_a_file_that_is_not_a_photo()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var uploader = Given.Inspector();
        var sha = await UploadAsync(SidewaysPhoto(), "公示栏.jpg", uploader);
        Assert.Equal(404, (await Thumbnail(sha, Fixture.Token(Roles.Reviewer))).StatusCode);   // not cited yet: the uploader's only

        await Given.RecordedFinding(inspection, FindingCiting(sha));
        Assert.Equal(200, (await Thumbnail(sha, Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(404, (await Thumbnail(sha, Fixture.Token(Roles.Respondent, "外镇干部", scope: "town:440233101"))).StatusCode);
        Assert.Equal(404, (await Thumbnail(sha, Fixture.Token(Roles.Inspector, "别组组员"))).StatusCode);

        var pdf = await UploadAsync(Pdf(), "笔录.pdf", uploader);
        Assert.Equal(200, (await Given.Send(HttpMethod.Get, $"/api/evidence/{pdf}", uploader)).StatusCode);
        Assert.Equal(404, (await Thumbnail(pdf, uploader)).StatusCode);
        Assert.Equal(404, (await Thumbnail(new string('0', 64), uploader)).StatusCode);
    }

    [Fact]
    public async Task A_damaged_photo_is_the_alarm_not_a_thumbnail()
    {
        var token = Given.Inspector();
        var sha = await UploadAsync(SidewaysPhoto(), "a.jpg", token);
        Assert.Equal(200, (await Thumbnail(sha, token)).StatusCode);

        // Whoever runs the database changes one byte deep in the picture data: the photo would still decode.
        foreach (var database in await Ledger.Api.Storage.LedgerSql.DatabasesAsync(Fixture.Store))
        {
            await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
            await using var edit = new Npgsql.NpgsqlCommand(
                "update ledger.evidence_chunks set bytes = set_byte(bytes, length(bytes) - 100, get_byte(bytes, length(bytes) - 100) # 255) where sha256 = $1", connection);
            edit.Parameters.AddWithValue(sha);
            await edit.ExecuteNonQueryAsync();
        }
        Fixture.Logs.Clear();
        var damaged = await Thumbnail(sha, token);
        Assert.Equal(500, damaged.StatusCode);
        Assert.Contains("no longer hash", await damaged.ReadAsTextAsync());
        Assert.Contains(Fixture.Logs.Lines, l => l.Level == LogLevel.Critical && l.Category == "Ledger.Evidence" && l.Message.Contains(sha));
    }

    [Fact]
    public async Task A_png_shows_when_and_where_its_exif_chunk_says_and_gets_a_jpeg_thumbnail()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var png = PngWithExifGps();
        // The PNG as made does carry the position in an EXIF chunk, as MetadataExtractor reads it (else the test proves nothing).
        Assert.Equal(114.12, ImageMetadataReader.ReadMetadata(new MemoryStream(png)).OfType<GpsDirectory>().Single().GetGeoLocation()!.Longitude, 6);

        var token = Given.Inspector();
        var upload = await Expect(await Given.Send(HttpMethod.Post, "/api/evidence", token, Multipart(png, "screen.png")), 201);
        Assert.Equal("image/png", upload.GetProperty("mediaType").GetString());
        Assert.Equal("2017-07-03T10:15:30", upload.GetProperty("photo").GetProperty("takenAt").GetString());
        Assert.Equal(24.225, upload.GetProperty("photo").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(114.12, upload.GetProperty("photo").GetProperty("longitude").GetDouble(), 6);

        var caseId = await Given.RecordedFinding(inspection, FindingCiting(Sha256(png)));
        await Fixture.SettledAsync();
        var item = (await Given.GetJson($"/api/cases/{caseId}")).GetProperty("case").GetProperty("evidence")[0];
        Assert.Equal("2017-07-03T10:15:30", item.GetProperty("takenAt").GetString());
        Assert.Equal(24.225, item.GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(114.12, item.GetProperty("longitude").GetDouble(), 6);

        var response = await Thumbnail(Sha256(png), token);
        Assert.Equal(200, response.StatusCode);
        var info = Image.Identify(response.Body, out var format);
        Assert.IsType<JpegFormat>(format);
        Assert.Equal((64, 48), (info.Width, info.Height));   // small photos are not enlarged
    }

    [Fact]
    public async Task A_heic_photo_shows_when_and_where_its_exif_says_but_gets_no_thumbnail()
    {
        var heic = HeicWithExifGps();
        Assert.Equal(24.225, ImageMetadataReader.ReadMetadata(new MemoryStream(heic)).OfType<GpsDirectory>().Single().GetGeoLocation()!.Latitude, 6);
        var token = Given.Inspector();
        var upload = await Expect(await Given.Send(HttpMethod.Post, "/api/evidence", token, Multipart(heic, "IMG_0003.HEIC")), 201);
        Assert.Equal("image/heic", upload.GetProperty("mediaType").GetString());
        Assert.Equal("2017-07-03T10:15:30", upload.GetProperty("photo").GetProperty("takenAt").GetString());
        Assert.Equal(24.225, upload.GetProperty("photo").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(114.12, upload.GetProperty("photo").GetProperty("longitude").GetDouble(), 6);
        // ImageSharp 2 decodes no HEIC: no thumbnail (the file itself is downloaded).
        Assert.Equal(404, (await Thumbnail(Sha256(heic), token)).StatusCode);
        Assert.Equal(200, (await Given.Send(HttpMethod.Get, $"/api/evidence/{Sha256(heic)}", token)).StatusCode);
    }
}
