using System.Net.Http.Headers;
using System.Security.Cryptography;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.EvidenceFiles.EvidenceFilesMaker;

namespace Ledger.Tests.EvidenceFiles;

/// <summary>Records cite uploaded files by hash; the file goes only to those who may read a citing record.</summary>
public sealed class CitationTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Town = "440233100";

    private async Task<string> UploadAsync(byte[] bytes, string name, string token) =>
        (await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/evidence", token, Multipart(bytes, name)), 201)).GetProperty("sha256").GetString()!;

    private static object FindingCiting(string sha256, string title = "村委会公示栏照片") => new
    {
        town = Town, village = "440233100201", area = 4, method = "field-investigation", severity = "serious",
        description = "贫困户识别公示期不足7天",
        evidence = new[] { new { title, kind = "photo", sha256 } },
        observedOn = "2017-07-03",
    };

    private Task<Fixtures.HttpResult> Download(string sha256, string token, IDictionary<string, string>? headers = null) =>
        Given.Send(HttpMethod.Get, $"/api/evidence/{sha256}", token, headers: headers);

    [Fact]
    public async Task A_finding_cites_an_uploaded_photo_and_keeps_its_size_and_type()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var photo = Jpeg();
        var sha = await UploadAsync(photo, "公示栏.jpg", Given.Inspector());
        var caseId = await Given.RecordedFinding(inspection, FindingCiting(sha));
        await Fixture.SettledAsync();

        var view = await Given.GetJson($"/api/cases/{caseId}");
        var item = view.GetProperty("case").GetProperty("evidence")[0];
        Assert.Equal(sha, item.GetProperty("sha256").GetString());
        Assert.Equal(photo.Length, item.GetProperty("size").GetInt64());
        Assert.Equal("image/jpeg", item.GetProperty("mediaType").GetString());
        Assert.Equal("村委会公示栏照片", item.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_photo_shows_when_and_where_its_exif_says_it_was_taken()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var photo = JpegWithExifGps();
        var upload = await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/evidence", Given.Inspector(), Multipart(photo, "IMG_0001.jpg")), 201);
        Assert.Equal("2017-07-03T10:15:30", upload.GetProperty("photo").GetProperty("takenAt").GetString());
        Assert.Equal(24.225, upload.GetProperty("photo").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(114.12, upload.GetProperty("photo").GetProperty("longitude").GetDouble(), 6);

        var caseId = await Given.RecordedFinding(inspection, FindingCiting(Sha256(photo)));
        await Fixture.SettledAsync();
        var item = (await Given.GetJson($"/api/cases/{caseId}")).GetProperty("case").GetProperty("evidence")[0];
        Assert.Equal("2017-07-03T10:15:30", item.GetProperty("takenAt").GetString());
        Assert.Equal(24.225, item.GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(114.12, item.GetProperty("longitude").GetDouble(), 6);
    }

    [Fact]
    public async Task A_write_citing_a_hash_the_store_does_not_hold_is_400_and_appends_nothing()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var before = await Fixture.EventCountAsync();
        var response = await Given.PostJson($"/api/inspections/{inspection}/findings", FindingCiting(Sha256(Pdf())), Given.Inspector());
        Assert.Equal(400, response.StatusCode);
        Assert.Contains(Sha256(Pdf()), await response.ReadAsTextAsync());
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Knowing_a_hash_is_not_enough_to_cite_and_so_read_someone_elses_file()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var sha = await UploadAsync(Pdf(), "笔录.pdf", Fixture.Token(Roles.PovertyOffice, "扶贫办"));
        var response = await Given.PostJson($"/api/inspections/{inspection}/findings", FindingCiting(sha), Given.Inspector());
        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task The_file_goes_to_readers_of_a_citing_record_and_a_reader_from_another_town_gets_404()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var photo = Jpeg("公示栏");
        var uploader = Given.Inspector();
        var sha = await UploadAsync(photo, "公示栏.jpg", uploader);

        // Before it is cited: only the uploader.
        Assert.Equal(200, (await Download(sha, uploader)).StatusCode);
        Assert.Equal(404, (await Download(sha, Fixture.Token(Roles.Reviewer))).StatusCode);

        await Given.RecordedFinding(inspection, FindingCiting(sha));
        var reviewer = await Download(sha, Fixture.Token(Roles.Reviewer));
        Assert.Equal(200, reviewer.StatusCode);
        Assert.Equal(photo, reviewer.Body);
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(reviewer.Body)));
        Assert.Equal("image/jpeg", reviewer.ContentType);
        // The inspected town reads its findings only once results are notified to it (docs/access.md), so not their files either.
        Assert.Equal(404, (await Download(sha, Fixture.Token(Roles.Respondent, "镇干部", scope: $"town:{Town}"))).StatusCode);

        Assert.Equal(404, (await Download(sha, Fixture.Token(Roles.Respondent, "外镇干部", scope: "town:440233101"))).StatusCode);
        Assert.Equal(404, (await Download(sha, Fixture.Token(Roles.Inspector, "别组组员"))).StatusCode);
    }

    [Fact]
    public async Task The_inspected_town_gets_its_findings_file_and_case_file_once_results_are_notified()
    {
        await Given.SampleRegistry();
        var photo = Jpeg("整改前");
        var sha = await UploadAsync(photo, "公示栏.jpg", Given.Inspector());
        var reported = await Given.ReportedInspection(FindingCiting(sha));
        var town = Fixture.Token(Roles.Respondent, "镇干部", scope: $"town:{Town}");
        Assert.Equal(404, (await Download(sha, town)).StatusCode);

        await Given.NotifiedWithDeadline(reported);
        var download = await Download(sha, town);
        Assert.Equal(200, download.StatusCode);
        Assert.Equal(photo, download.Body);
        await Fixture.SettledAsync();   // the case file proves events against a head: the log must have reached them
        Assert.Equal(200, (await Given.Get($"/api/cases/{reported.FindingA}/bundle", town)).StatusCode);
        // Another town still gets nothing.
        Assert.Equal(404, (await Download(sha, Fixture.Token(Roles.Respondent, "外镇干部", scope: "town:440233101"))).StatusCode);
    }

    [Fact]
    public async Task Ranges_are_served()
    {
        var pdf = Pdf();
        var token = Given.Inspector();
        var sha = await UploadAsync(pdf, "a.pdf", token);
        var part = await Download(sha, token, new Dictionary<string, string> { ["Range"] = "bytes=0-7" });
        Assert.Equal(206, part.StatusCode);
        Assert.Equal(pdf[..8], part.Body);
    }

    [Fact]
    public async Task A_file_changed_in_the_database_is_an_alarm_not_an_answer()
    {
        var token = Given.Inspector();
        var pdf = Pdf();
        var sha = await UploadAsync(pdf, "a.pdf", token);
        Assert.Equal(200, (await Download(sha, token)).StatusCode);

        // Whoever runs the database edits the stored bytes (the API's own role may not: the table is insert-only).
        foreach (var database in await Ledger.Api.Storage.LedgerSql.DatabasesAsync(Fixture.Store))
        {
            await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
            await using var edit = new Npgsql.NpgsqlCommand(
                "update ledger.evidence_chunks set bytes = overlay(bytes placing '\\x41'::bytea from 10 for 1) where sha256 = $1", connection);
            edit.Parameters.AddWithValue(sha);
            await edit.ExecuteNonQueryAsync();
        }
        var damaged = await Download(sha, token);
        Assert.Equal(500, damaged.StatusCode);
        var text = await damaged.ReadAsTextAsync();
        Assert.Contains("no longer hash", text);
        Assert.DoesNotContain("%PDF", text);
    }
}
