using System.Text;
using Ledger.Api.Tips;
using Ledger.Domain.Access;
using Ledger.Domain.Tips;
using Ledger.Tests.Fixtures;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Xmp;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using Rational = SixLabors.ImageSharp.Rational;
using static Ledger.Tests.EvidenceFiles.EvidenceFilesMaker;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.EvidenceFiles;

/// <summary>
/// A public tip carries photos stripped of their metadata: the reporter's location (EXIF GPS) never reaches the
/// ledger — not in the file an office reads, not anywhere in the store.
/// </summary>
public sealed class TipPhotoTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string TakenAt = "2017:07:03 10:15:30";

    /// <summary>A real 64×48 JPEG whose EXIF says when and where it was taken (24°13′30″ N, 114°7′12″ E), made with ImageSharp.</summary>
    private static byte[] PhotoWithGps()
    {
        using var image = new Image<Rgb24>(64, 48, new Rgb24(200, 120, 40));
        var exif = new ExifProfile();
        exif.SetValue(ExifTag.DateTimeOriginal, TakenAt);
        exif.SetValue(ExifTag.GPSLatitudeRef, "N");
        exif.SetValue(ExifTag.GPSLatitude, [new Rational(24, 1), new Rational(13, 1), new Rational(30, 1)]);
        exif.SetValue(ExifTag.GPSLongitudeRef, "E");
        exif.SetValue(ExifTag.GPSLongitude, [new Rational(114, 1), new Rational(7, 1), new Rational(12, 1)]);
        image.Metadata.ExifProfile = exif;
        using var output = new MemoryStream();
        image.SaveAsJpeg(output);
        return output.ToArray();
    }

    private static IReadOnlyList<MetadataExtractor.Directory> Metadata(byte[] bytes) => ImageMetadataReader.ReadMetadata(new MemoryStream(bytes));

    private Task<HttpResult> UploadAnonymously(byte[] bytes, string name) =>
        Given.Send(HttpMethod.Post, UploadTipPhotoEndpoint.Route, null, Multipart(bytes, name));

    [Fact]
    public async Task A_tip_photo_reaches_the_office_without_exif_or_gps_and_the_original_bytes_are_nowhere_in_the_store()
    {
        await Given.SampleRegistry();
        var original = PhotoWithGps();
        // The photo as sent does carry the position (else the test would prove nothing).
        var gps = Metadata(original).OfType<GpsDirectory>().Single().GetGeoLocation();
        Assert.Equal(24.225, gps!.Latitude, 6);

        var upload = await Expect(await UploadAnonymously(original, "IMG_20170703_101530.jpg"), 201);
        var sha = upload.GetProperty("sha256").GetString()!;
        Assert.NotEqual(Sha256(original), sha);
        Assert.Equal("image/jpeg", upload.GetProperty("mediaType").GetString());
        await Expect(await Given.Post("/api/tips", new SubmitTip(null, "村干部挪用危房改造补助，附现场照片", null, "440233100203", null, [sha]), token: null), 201);

        var office = Fixture.Token(Roles.PovertyOffice);
        var tip = Assert.Single(await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice));
        Assert.Equal(sha, Assert.Single(tip.Evidence!).Sha256);
        var download = await Given.Send(HttpMethod.Get, $"/api/evidence/{sha}", office);
        Assert.Equal(200, download.StatusCode);
        Assert.Equal(sha, Sha256(download.Body));
        var read = Metadata(download.Body);
        Assert.Empty(read.OfType<GpsDirectory>());
        Assert.Empty(read.OfType<ExifIfd0Directory>());
        Assert.Empty(read.OfType<ExifSubIfdDirectory>());
        Assert.Empty(read.OfType<XmpDirectory>());
        Assert.Equal(64, read.OfType<MetadataExtractor.Formats.Jpeg.JpegDirectory>().Single().GetImageWidth());

        // The original is nowhere: neither its hash nor its EXIF text in any database's evidence tables.
        foreach (var database in await Ledger.Api.Storage.LedgerSql.DatabasesAsync(Fixture.Store))
        {
            await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
            await using var query = new Npgsql.NpgsqlCommand("""
                select (select count(*) from ledger.evidence_files where sha256 = $1)
                     + (select count(*) from ledger.evidence_chunks where sha256 = $1 or position($2 in bytes) > 0)
                """, connection);
            query.Parameters.AddWithValue(Sha256(original));
            query.Parameters.AddWithValue(Encoding.ASCII.GetBytes(TakenAt));
            Assert.Equal(0L, (long)(await query.ExecuteScalarAsync())!);
        }
        Assert.Equal(404, (await Given.Send(HttpMethod.Get, $"/api/evidence/{Sha256(original)}", office)).StatusCode);
    }

    [Fact]
    public async Task Only_jpeg_or_png_photos_are_taken_and_a_tip_cites_only_tip_photos()
    {
        await Given.SampleRegistry();
        Assert.Equal(415, (await UploadAnonymously(Executable(), "photo.jpg")).StatusCode);
        Assert.Equal(415, (await UploadAnonymously(Pdf(), "photo.png")).StatusCode);

        // An office's file: a tip cannot cite it by its hash (and so cannot hang it on a tip).
        var officeFile = await Expect(await Given.Send(HttpMethod.Post, "/api/evidence", Given.Inspector(), Multipart(Pdf(), "笔录.pdf")), 201);
        var before = await Fixture.EventCountAsync();
        var refused = await Given.Post("/api/tips", new SubmitTip(null, "举报", null, null, null, [officeFile.GetProperty("sha256").GetString()!]), token: null);
        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }
}
