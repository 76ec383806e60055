using Ledger.Domain.Access;
using System.Text;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Domain.Registry;
using Ledger.Tests.Fixtures;
using Marten;

namespace Ledger.Tests.Registry;

public sealed class RegistryImportTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_sample_registry_imports_whole_and_reads_back()
    {
        await Given.SampleRegistry();

        var towns = await Given.GetJson("/api/towns");
        Assert.Equal(
            ["440233001", "440233100", "440233101", "440233102", "440233103", "440233104", "440233105"],
            towns.EnumerateArray().Select(t => t.GetProperty("code").GetString()!).ToArray());
        var huangqi = towns.EnumerateArray().Single(t => t.GetProperty("code").GetString() == "440233100");
        Assert.Equal("黄磜镇", huangqi.GetProperty("name").GetString());
        Assert.Equal("town", huangqi.GetProperty("kind").GetString());
        Assert.Equal("镇", huangqi.GetProperty("kindLabel").GetString());

        var villages = await Given.GetJson("/api/villages");
        Assert.Equal(141, villages.GetArrayLength());
        var poor = await Given.GetJson("/api/villages?status=relatively-poor");
        Assert.Equal(19, poor.GetArrayLength());
        var poorByLabel = await Given.GetJson("/api/villages?status=" + Uri.EscapeDataString("相对贫困村"));
        Assert.Equal(19, poorByLabel.GetArrayLength());
        var inHuangqi = await Given.GetJson("/api/villages?town=440233100&status=non-poor");
        Assert.All(inHuangqi.EnumerateArray(), v => Assert.Equal("440233100", v.GetProperty("townCode").GetString()));

        var town = await Given.GetJson("/api/towns/440233100");
        Assert.Equal(town.GetProperty("villageCount").GetInt32(),
            town.GetProperty("relativelyPoorVillages").GetInt32() + town.GetProperty("nonPoorVillages").GetInt32());
        Assert.Equal(inHuangqi.GetArrayLength(), town.GetProperty("nonPoorVillages").GetInt32());
        Assert.Contains(town.GetProperty("stationedUnits").EnumerateArray(), u => u.GetProperty("kind").GetString() == "work-team");

        var village = await Given.GetJson("/api/villages/440233100201");
        Assert.Equal("relatively-poor", village.GetProperty("status").GetString());
        Assert.Equal("相对贫困村", village.GetProperty("statusLabel").GetString());
        var pairing = village.GetProperty("pairings").EnumerateArray().First();
        var unitCode = pairing.GetProperty("unitCode").GetString()!;

        var unit = await Given.GetJson($"/api/units/{unitCode}");
        Assert.Contains(unit.GetProperty("pairedVillages").EnumerateArray(),
            p => p.GetProperty("villageCode").GetString() == "440233100201");
        var units = await Given.GetJson("/api/units");
        Assert.Equal(unitCode.Length > 0, units.EnumerateArray().Any(u => u.GetProperty("code").GetString() == unitCode));
    }

    [Fact]
    public async Task A_file_with_bad_rows_is_refused_whole_listing_every_bad_row()
    {
        await Given.ImportCsv(Scenarios.SampleFile("towns.csv"), Fixture.Token(Roles.PovertyOffice));
        var before = await Fixture.EventCountAsync();

        const string csv =
            "village_code,town_code,name,status\n" +
            "440233100201,440233100,好村,non-poor\n" +          // line 2: fine on its own
            "440233999201,440233999,无镇村,non-poor\n" +        // line 3: unknown town code
            "440233100201,440233100,重复村,non-poor\n" +        // line 4: duplicate code
            "440233100202,440233100,,non-poor\n" +              // line 5: missing name
            "440233100203,440233100,坏状态村,rich\n" +          // line 6: bad status
            "440233100204,440233100,多列村,non-poor,extra\n";   // line 7: wrong column count
        var (status, body) = await Given.ImportCsvJson(csv);

        Assert.Equal(400, status);
        var errors = body.GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Reason: e.GetProperty("reason").GetString()!)).ToList();
        Assert.Contains(errors, e => e.Line == 3 && e.Reason.Contains("unknown town code"));
        Assert.Contains(errors, e => e.Line == 4 && e.Reason.Contains("duplicate"));
        Assert.Contains(errors, e => e.Line == 5 && e.Reason.Contains("name is missing"));
        Assert.Contains(errors, e => e.Line == 6 && e.Reason.Contains("status 'rich'"));
        Assert.Contains(errors, e => e.Line == 7 && e.Reason.Contains("columns"));
        Assert.DoesNotContain(errors, e => e.Line == 2);

        Assert.Equal(before, await Fixture.EventCountAsync());
        Assert.Equal(0, (await Given.GetJson("/api/villages")).GetArrayLength());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("name,colour\nx,y\n", "unrecognised header")]
    public async Task A_file_that_is_not_a_registry_file_is_refused(string csv, string reason)
    {
        var (status, body) = await Given.ImportCsvJson(csv);
        Assert.Equal(400, status);
        Assert.Contains(reason, body.GetProperty("errors")[0].GetProperty("reason").GetString());
        Assert.Equal(0, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Invalid_utf8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("town_code,name,kind\n440233100,").Concat(new byte[] { 0xC3, 0x28 }).Concat("镇,town\n"u8.ToArray()).ToArray();
        var response = await Given.Send(HttpMethod.Post, "/api/registry/import", Fixture.Token(Roles.PovertyOffice),
            new ByteArrayContent(bytes) { Headers = { { "Content-Type", "text/csv" } } });
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("UTF-8", await response.ReadAsTextAsync());
        Assert.Equal(0, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Reimporting_the_same_files_changes_nothing()
    {
        await Given.SampleRegistry();
        var after = await Fixture.EventCountAsync();
        Assert.Equal(7 + 141 + 19 + 26, after);

        foreach (var file in new[] { "towns.csv", "villages.csv", "units.csv", "pairings.csv" })
        {
            var (status, body) = await Given.ImportCsvJson(Scenarios.SampleFile(file));
            Assert.Equal(200, status);
            Assert.Equal(0, body.GetProperty("eventsAppended").GetInt32());
            Assert.Equal(body.GetProperty("rows").GetInt32(), body.GetProperty("unchanged").GetInt32());
        }
        Assert.Equal(after, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_byte_order_mark_and_crlf_line_ends_are_accepted()
    {
        var csv = "\uFEFF" + Scenarios.SampleFile("towns.csv").Replace("\n", "\r\n");
        var (status, body) = await Given.ImportCsvJson(csv);
        Assert.Equal(200, status);
        Assert.Equal(7, body.GetProperty("eventsAppended").GetInt32());
        Assert.Equal("towns", body.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_village_status_never_changes_by_import()
    {
        await Given.SampleRegistry();
        var before = await Fixture.EventCountAsync();

        var (refused, problem) = await Given.ImportCsvJson(
            "village_code,town_code,name,status,status_date,status_basis\n" +
            "440233100201,440233100,黄磜示例村01（占位名）,non-poor,2018-12-31,新扶办〔2018〕示例号\n");
        Assert.Equal(400, refused);
        Assert.Contains("completed village decision", problem.GetProperty("errors")[0].GetProperty("reason").GetString());
        Assert.Equal(before, await Fixture.EventCountAsync());

        var village = await Given.GetJson("/api/villages/440233100201");
        Assert.Equal("relatively-poor", village.GetProperty("status").GetString());
        var history = Assert.Single(village.GetProperty("statusHistory").EnumerateArray());
        Assert.Equal("2016-06-30", history.GetProperty("effectiveOn").GetString());
        Assert.Equal("2016年相对贫困村认定（示例依据）", history.GetProperty("basis").GetString());
    }

    [Fact]
    public async Task A_renamed_unit_appends_one_change_and_keeps_the_old_values()
    {
        await Given.SampleRegistry();
        var (status, body) = await Given.ImportCsvJson(
            "unit_code,name,kind,leading_group_member,reason\nczj,县财政局（新名）,county-department,no,机构改革\n");
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("eventsAppended").GetInt32());

        var unit = await Given.GetJson("/api/units/czj");
        Assert.Equal("县财政局（新名）", unit.GetProperty("name").GetString());
        Assert.False(unit.GetProperty("leadingGroupMember").GetBoolean());
        Assert.Equal("机构改革", unit.GetProperty("changes")[0].GetProperty("reason").GetString());
        Assert.Equal(2, unit.GetProperty("unitStreamVersion").GetInt64());
    }

    [Fact]
    public async Task Unknown_codes_answer_404_with_problem_details()
    {
        await Given.SampleRegistry();
        foreach (var url in new[] { "/api/towns/440233999", "/api/villages/440233100299", "/api/units/none" })
        {
            var response = await Given.Get(url, Fixture.Token(Roles.Reviewer));
            Assert.Equal(404, response.StatusCode);
            Assert.Equal("application/problem+json", response.ContentType);
        }
    }

    [Fact]
    public async Task Each_county_sees_only_its_own_registry()
    {
        await Given.SampleRegistry();
        // Another county (翁源县 440229) starts empty and imports its own towns.
        var other = Fixture.Token(Roles.Reviewer, county: "440229");
        var empty = await (await Given.Get("/api/towns", other)).ReadJsonAsync();
        Assert.Equal(0, empty.GetArrayLength());

        var response = await Given.ImportCsv("town_code,name,kind\n440229100,示例镇,town\n", Fixture.Token(Roles.PovertyOffice, county: "440229"));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(1, (await (await Given.Get("/api/towns", other)).ReadJsonAsync()).GetArrayLength());
        Assert.Equal(7, (await Given.GetJson("/api/towns")).GetArrayLength());
        Assert.Equal(404, (await Given.Get("/api/towns/440229100", Fixture.Token(Roles.Reviewer))).StatusCode);

        // A Xinfeng town code is refused in another county: town codes begin with the county's code.
        var (status, _) = await Given.ImportCsvJson("town_code,name,kind\n440233100,黄磜镇,town\n", Fixture.Token(Roles.PovertyOffice, county: "440229"));
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Racing_imports_of_the_same_file_record_each_row_once()
    {
        var token = Fixture.Token(Roles.PovertyOffice);
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Given.ImportCsv(Scenarios.SampleFile("towns.csv"), token)));

        Assert.All(answers, a => Assert.True(a.StatusCode is 200 or 409, $"answered {a.StatusCode}"));
        Assert.Contains(answers, a => a.StatusCode == 200);
        Assert.Equal(7, await Fixture.EventCountAsync());
    }
}
