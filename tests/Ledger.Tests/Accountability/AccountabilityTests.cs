using Ledger.Domain.Access;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Ledger.Api.Accountability;
using Ledger.Api.Cases;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Domain.Registry;
using Ledger.Projections.Accountability;
using Ledger.Tests.Fixtures;
using Marten;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Accountability;

public sealed class AccountabilityTests(LedgerFixture fixture) : IntegrationTest(fixture)
{

    /// <summary>The looped history (see <see cref="Scenarios.LoopedHistory"/>), with the async views caught up.</summary>
    private async Task<Reported> KnownHistory()
    {
        var r = await Given.LoopedHistory();
        await Fixture.SettledAsync();
        return r;
    }

    [Fact]
    public async Task The_town_view_matches_the_hand_counted_history()
    {
        var r = await KnownHistory();
        var town = await Given.Get<AccountabilityAnswer>("/api/towns/440233100/accountability?year=2017");
        var f = town.Figures;

        Assert.Equal("黄磜镇", town.Name);
        Assert.True(f.ComprehensiveCovered);
        Assert.Equal(r.Inspection, Assert.Single(f.Inspections).Id);
        var findings = f.Findings;
        Assert.Equal((2, 1, 1, 0), (findings.Total, findings.Minor, findings.Serious, findings.Grave));
        var areas = findings.ByArea;
        Assert.Equal([1, 4], areas.Select(a => a.Number).ToArray());
        Assert.Equal("责任落实", areas[0].AreaLabel);
        var rect = f.Rectification;
        Assert.Equal([2, 1, 1, 1, 0, 1], new[] { rect.Issued, rect.Open, rect.Overdue, rect.ClosedOnTime, rect.ClosedLate, rect.ReturnedAtLeastOnce });
        Assert.Equal(0, f.Funding.Checks);
        Assert.Empty(f.Commendations);

        var villages = town.Villages.ToDictionary(v => v.Code);
        Assert.Equal(17, villages.Count);
        Assert.Equal((1, 1, 0, 0), Counts(villages["440233100201"]));
        Assert.Equal((1, 1, 1, 1), Counts(villages["440233100202"]));
        Assert.Equal((0, 0, 0, 0), Counts(villages["440233100210"]));
        Assert.True(town.CurrentToSequence >= town.LastEventSequence);
    }

    [Fact]
    public async Task The_town_view_sums_its_funding_checks_and_lists_its_commendations()
    {
        await KnownHistory();
        var other = (await Given.Get<AccountabilityAnswer>("/api/towns/440233101/accountability?year=2017")).Figures;
        var funding = other.Funding;
        Assert.Equal((1, 200000m, 150000m, 30000m, 120000m, 0m), (funding.Checks, funding.Allocated, funding.Arrived, funding.Spent, funding.Idle, funding.Misused));
        Assert.Equal(1, other.Rectification.ClosedLate);
        Assert.Equal("产业帮扶成效明显", Assert.Single(other.Commendations).Reason);
    }

    [Fact]
    public async Task A_town_without_a_comprehensive_inspection_in_the_field_is_not_covered()
    {
        await KnownHistory();
        var empty = (await Given.Get<AccountabilityAnswer>("/api/towns/440233105/accountability?year=2017")).Figures;
        Assert.False(empty.ComprehensiveCovered);
    }

    [Fact]
    public async Task The_town_view_needs_a_year_and_is_read_by_the_town_s_own_respondent_only()
    {
        await KnownHistory();
        Assert.Equal(400, (await Given.Get("/api/towns/440233100/accountability", Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/towns/440233100/accountability?year=2017", Given.Respondent("town:440233101"))).StatusCode);
        Assert.Equal(200, (await Given.Get("/api/towns/440233100/accountability?year=2017", Given.Respondent())).StatusCode);
    }

    private static (int, int, int, int) Counts(AccountableVillage v) => (v.Records, v.Problems, v.RequirementsOpen, v.Overdue);

    [Fact]
    public async Task The_unit_view_counts_its_cases_and_lists_its_paired_villages()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField(PlanBody(towns: ["440233100"], units: ["wt-100", "gdj"]));
        await Given.RecordedFinding(id, FindingBody(town: null, village: null, unit: "wt-100", area: 8, severity: "grave"));
        var withdrawn = await Given.RecordedFinding(id, FindingBody(town: null, village: null, unit: "wt-100", area: 8));
        await Expect(await Given.Post($"/api/findings/{withdrawn}/withdrawal", new WithdrawFinding(1, "重复"), Given.Inspector()), 200);
        await Fixture.SettledAsync();

        var unit = await Given.Get<AccountabilityAnswer>("/api/units/wt-100/accountability?year=2017");
        var findings = unit.Figures.Findings;
        Assert.Equal((1, 1), (findings.Total, findings.Grave));
        Assert.Equal("队伍建设", findings.ByArea[0].AreaLabel);

        var paired = await Given.Get<AccountabilityAnswer>("/api/units/gdj/accountability?year=2017");
        Assert.True(paired.Figures.ComprehensiveCovered);
        Assert.NotEmpty(paired.Villages);
        Assert.All(paired.Villages, v => Assert.Equal(VillageStatus.RelativelyPoor, v.Status));
    }

    [Fact]
    public async Task The_village_profile_shows_status_pairings_decisions_and_cases()
    {
        var r = await KnownHistory();
        var profile = await Given.Get<VillageProfile>("/api/villages/440233100201/profile");
        Assert.Equal(VillageStatus.RelativelyPoor, profile.Village.Status);
        Assert.NotEmpty(profile.PairingUnits);
        var finding = Assert.Single(profile.Findings);
        Assert.Equal(r.FindingA, finding.Id);
        Assert.Equal(RectificationStatus.Closed, finding.Rectification);
        Assert.Empty(profile.FundingChecks);
    }

    [Fact]
    public async Task Case_lists_page_with_a_total()
    {
        var r = await KnownHistory();
        var all = await Given.Get<CasePage>("/api/cases?year=2017&pageSize=2&sort=area");
        Assert.Equal(3, all.Total);
        Assert.Equal(2, all.Items.Count);
        var last = await Given.Get<CasePage>("/api/cases?year=2017&pageSize=2&page=2&sort=area");
        Assert.Equal(r.Check, Assert.Single(last.Items).Id);
        var beyond = await Given.Get<CasePage>("/api/cases?year=2017&pageSize=2&page=9");
        Assert.Equal(3, beyond.Total);
        Assert.Empty(beyond.Items);
    }

    [Fact]
    public async Task Case_lists_filter_and_sort()
    {
        var r = await KnownHistory();
        Assert.Equal(1, (await Given.Get<CasePage>("/api/cases?town=440233100&area=4")).Total);
        Assert.Equal(r.FindingB, (await Given.Get<CasePage>("/api/cases?status=overdue")).Items[0].Id);
        Assert.Equal(2, (await Given.Get<CasePage>("/api/cases?severity=minor")).Total);  // B, and the idle funds
        Assert.Equal(3, (await Given.Get<CasePage>($"/api/cases?inspection={r.Inspection}")).Total);
        Assert.Equal(2, (await Given.GetWithToken<CasePage>("/api/cases", Given.Respondent())).Total);
        var bySeverity = await Given.Get<CasePage>("/api/cases?sort=-severity");
        Assert.Equal(Severity.Serious, bySeverity.Items[0].Severity);
    }

    [Fact]
    public async Task Case_lists_refuse_bad_paging_sorting_and_filters()
    {
        foreach (var bad in new[] { "pageSize=0", "pageSize=501", "page=0", "sort=colour", "status=pink", "area=9", "severity=huge" })
        {
            var response = await Given.Get($"/api/cases?{bad}", Fixture.Token(Roles.Reviewer));
            Assert.True(400 == response.StatusCode, bad);
        }
    }

    [Fact]
    public async Task Lists_download_as_csv_and_as_an_excel_workbook()
    {
        await KnownHistory();
        var csv = await Given.Send(HttpMethod.Get, "/api/cases?year=2017&sort=area", Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        Assert.Equal(200, csv.StatusCode);
        Assert.Equal("text/csv", csv.ContentType);
        var text = Encoding.UTF8.GetString(csv.Body).TrimStart('\uFEFF');
        var rows = Ledger.Domain.Common.Csv.Parse(text);
        Assert.Equal(4, rows.Count);
        Assert.Equal("案件编号", rows[0].Fields[0]);
        Assert.Equal("督查内容", rows[0].Fields[6]);
        Assert.Equal(["责任落实", "精准识别、精准退出", "财政扶贫资金"], rows.Skip(1).Select(r => r.Fields[6]).ToArray());

        var xlsx = await Given.Get("/api/cases/export.xlsx?year=2017&sort=area", Fixture.Token(Roles.Reviewer));
        Assert.Equal(200, xlsx.StatusCode);
        var sheet = ReadSheet(xlsx.Body);
        Assert.Equal(4, sheet.Count);
        Assert.Equal("严重程度", sheet[0][7]);
        Assert.Equal(rows[1].Fields, sheet[1]);

        var board = ReadSheet((await Given.Get("/api/rectifications/export.xlsx?year=2017", Fixture.Token(Roles.Reviewer))).Body);
        Assert.Equal(4, board.Count);
        Assert.Equal("原定期限", board[0][11]);
        var boardCsv = await Given.Send(HttpMethod.Get, "/api/rectifications?status=overdue", Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = "text/csv" });
        Assert.Equal(2, Ledger.Domain.Common.Csv.Parse(Encoding.UTF8.GetString(boardCsv.Body)).Count);
    }

    private static List<string[]> ReadSheet(byte[] workbook)
    {
        using var zip = new ZipArchive(new MemoryStream(workbook));
        using var reader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        return XDocument.Parse(reader.ReadToEnd()).Descendants(ns + "row")
            .Select(row => row.Elements(ns + "c").Select(c => c.Descendants(ns + "t").Single().Value).ToArray()).ToList();
    }

    [Fact]
    public async Task A_rebuild_gives_views_equal_to_the_live_ones()
    {
        await KnownHistory();
        // More history in another county too: the rebuild covers every tenant.
        await Given.SampleRegistry("440229");
        await Fixture.SettledAsync();
        var live = await ViewsAsJson();
        Assert.NotEmpty(live);

        // The host's own daemon rebuilds, as `projections --rebuild` does from the command line.
        var daemon = Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync<AccountabilityProjection>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<CaseRowProjection>(CancellationToken.None);
        var rebuilt = await ViewsAsJson();
        Assert.Equal(live, rebuilt);
    }

    private async Task<Dictionary<string, string>> ViewsAsJson()
    {
        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "select 'view/' || tenant_id || '/' || id, data::text from ledger.mt_doc_accountabilityview union all " +
                              "select 'case/' || tenant_id || '/' || id, data::text from ledger.mt_doc_caserow";
        var views = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) views[reader.GetString(0)] = Canonical(reader.GetString(1));
        return views;
    }

    private static string Canonical(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
