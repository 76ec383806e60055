using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.EvidenceFiles.EvidenceFilesMaker;

namespace Ledger.Tests.EvidenceFiles;

/// <summary>
/// The case file (案卷, <c>GET /api/cases/{id}/bundle</c>): a case citing a JPEG and a PDF, checked offline by
/// <c>ledger audit</c>'s auditor with the key as served; any change to a file or an event line, or a file left out,
/// is found and named; a reader who may not read the case gets 404.
/// </summary>
public sealed class CaseFileTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Town = "440233100";

    private sealed record CaseFile(Guid CaseId, byte[] Zip, byte[] Photo, byte[] Scan);

    private async Task<CaseFile> CaseWithAPhotoAndAScanAsync()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var (photo, scan) = (JpegWithExifGps(), Pdf());
        foreach (var (bytes, name) in new[] { (photo, "公示栏.jpg"), (scan, "笔录.pdf") })
            await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/evidence", Given.Inspector(), Multipart(bytes, name)), 201);
        var caseId = await Given.RecordedFinding(inspection, new
        {
            town = Town, village = "440233100201", area = 4, method = "field-investigation", severity = "serious",
            description = "贫困户识别公示期不足7天",
            evidence = new[]
            {
                new { title = "村委会公示栏照片", kind = "photo", sha256 = Sha256(photo) },
                new { title = "走访笔录扫描件", kind = "document", sha256 = Sha256(scan) },
            },
            observedOn = "2017-07-03",
        });
        await Fixture.SettledAsync();
        var response = await Given.Get($"/api/cases/{caseId}/bundle", Fixture.Token(Roles.Reviewer));
        Assert.True(response.StatusCode == 200, $"the case file answered {response.StatusCode}: {Encoding.UTF8.GetString(response.Body)}");
        Assert.Equal("application/zip", response.ContentType);
        return new CaseFile(caseId, response.Body, photo, scan);
    }

    private async Task<AuditReport> AuditAsync(byte[] zip)
    {
        var key = await (await Given.Get("/api/ledger/public-key", null)).ReadAsTextAsync();
        return OfflineAudit.Run(new MemoryStream(zip), key);
    }

    /// <summary>A copy of the zip with each entry's bytes as <paramref name="change"/> gives them (null: the entry is left out).</summary>
    private static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> change)
    {
        using var source = new ZipArchive(new MemoryStream(zip));
        var output = new MemoryStream();
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var entry in source.Entries)
            {
                using var read = new MemoryStream();
                using (var stream = entry.Open()) stream.CopyTo(read);
                if (change(entry.FullName, read.ToArray()) is not { } bytes) continue;
                using var write = target.CreateEntry(entry.FullName).Open();
                write.Write(bytes);
            }
        return output.ToArray();
    }

    private static string Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        using var reader = new StreamReader(archive.GetEntry(name)!.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task A_case_citing_a_jpeg_and_a_pdf_bundles_them_and_verifies_offline()
    {
        var bundle = await CaseWithAPhotoAndAScanAsync();
        using (var archive = new ZipArchive(new MemoryStream(bundle.Zip)))
        {
            foreach (var file in new[] { bundle.Photo, bundle.Scan })
            {
                using var read = new MemoryStream();
                using (var stream = archive.GetEntry(CaseBundle.FileEntry(Sha256(file)))!.Open()) stream.CopyTo(read);
                Assert.Equal(file, read.ToArray());
            }
            Assert.Equal(2, archive.Entries.Count(e => e.FullName.StartsWith(CaseBundle.FilesFolder)));
        }
        var manifest = JsonSerializer.Deserialize<CaseBundleManifest>(Entry(bundle.Zip, CaseBundle.ManifestFile), AuditBundle.Json)!;
        Assert.Equal(CaseBundle.Format, manifest.Format);
        Assert.Equal(bundle.CaseId, manifest.CaseId);
        Assert.Contains("ledger audit", Entry(bundle.Zip, CaseBundle.ReadmeFile));
        Assert.Contains("案卷", Entry(bundle.Zip, CaseBundle.ReadmeFile));

        // Each event line's path leads from its leaf to the signed head's root, recomputed here without the auditor.
        var lines = Entry(bundle.Zip, CaseBundle.EventsFile).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<BundledEvent>(l, AuditBundle.Json)!).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l =>
        {
            Assert.Equal(bundle.CaseId.ToString(), l.Event.StreamId);
            var root = MerkleTree.RootFromPath(Convert.FromHexString(Audit.BundleRead.Leaf(Audit.BundleRead.ContentHash(l.Event))), l.LeafIndex,
                manifest.Head.TreeSize, l.AuditPath!.Select(Convert.FromHexString).ToList());
            Assert.Equal(manifest.Head.MerkleRoot, LedgerHashing.Hex(root));
        });

        var report = await AuditAsync(bundle.Zip);
        Assert.True(report.Intact, string.Join("\n", report.Problems.Select(p => $"[{p.Kind}] {p.Where}: {p.Detail}")));
        Assert.Equal(bundle.CaseId, report.CaseId);
        Assert.Equal(2, report.FilesChecked);
        Assert.Equal(lines.Count, report.EventsChecked);
        Assert.Equal(lines.Count, report.ProofsChecked);
    }

    [Fact]
    public async Task One_byte_changed_in_a_file_is_found_and_named()
    {
        var bundle = await CaseWithAPhotoAndAScanAsync();
        var name = CaseBundle.FileEntry(Sha256(bundle.Scan));
        var changed = Rewrite(bundle.Zip, (entry, bytes) =>
        {
            if (entry == name) bytes[10] ^= 0x01;
            return bytes;
        });
        var report = await AuditAsync(changed);
        Assert.False(report.Intact);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("file-hash", problem.Kind);
        Assert.Equal(name, problem.File);
    }

    [Fact]
    public async Task A_file_left_out_is_found_and_named()
    {
        var bundle = await CaseWithAPhotoAndAScanAsync();
        var name = CaseBundle.FileEntry(Sha256(bundle.Photo));
        var report = await AuditAsync(Rewrite(bundle.Zip, (entry, bytes) => entry == name ? null : bytes));
        var problem = Assert.Single(report.Problems);
        Assert.Equal("missing-file", problem.Kind);
        Assert.Equal(name, problem.File);
    }

    [Fact]
    public async Task A_changed_event_line_is_found_whether_or_not_its_hash_was_made_to_match()
    {
        var bundle = await CaseWithAPhotoAndAScanAsync();
        byte[] ChangeFirstLine(Func<HashedEvent, HashedEvent> change) => Rewrite(bundle.Zip, (entry, bytes) =>
        {
            if (entry != CaseBundle.EventsFile) return bytes;
            var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            var first = JsonSerializer.Deserialize<BundledEvent>(lines[0], AuditBundle.Json)!;
            Assert.NotEqual(first.Event, change(first.Event));
            lines[0] = JsonSerializer.Serialize(first with { Event = change(first.Event) }, AuditBundle.Json);
            return Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
        });

        // The data edited (the day it was seen), the hash left as it was.
        var edited = await AuditAsync(ChangeFirstLine(e => e with { Data = e.Data.Replace("2017-07-03", "2017-07-04") }));
        var problem = Assert.Single(edited.Problems);
        Assert.Equal(("content-hash", CaseBundle.EventsFile, 1L), (problem.Kind, problem.File, problem.Line));

        // The data edited and its content hash recomputed: the leaf no longer leads to the signed root.
        var forged = await AuditAsync(ChangeFirstLine(e =>
        {
            var changed = e with { Data = e.Data.Replace("2017-07-03", "2017-07-04") };
            return changed with { ContentHash = LedgerHashing.ContentHash(changed) };
        }));
        problem = Assert.Single(forged.Problems);
        Assert.Equal(("inclusion", CaseBundle.EventsFile, 1L), (problem.Kind, problem.File, problem.Line));
    }

    [Fact]
    public async Task A_reader_who_may_not_read_the_case_gets_404()
    {
        var bundle = await CaseWithAPhotoAndAScanAsync();
        var path = $"/api/cases/{bundle.CaseId}/bundle";
        Assert.Equal(404, (await Given.Get(path, Fixture.Token(Roles.Respondent, "外镇干部", scope: "town:440233101"))).StatusCode);
        // The inspected town reads its findings only once results are notified to it (docs/access.md).
        Assert.Equal(404, (await Given.Get(path, Fixture.Token(Roles.Respondent, "镇干部", scope: $"town:{Town}"))).StatusCode);
        Assert.Equal(404, (await Given.Get($"/api/cases/{Guid.NewGuid()}/bundle", Fixture.Token(Roles.Reviewer))).StatusCode);
    }
}
