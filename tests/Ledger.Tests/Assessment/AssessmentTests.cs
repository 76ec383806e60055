using Ledger.Domain.Access;
using System.IO.Compression;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Domain.Assessment;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Assessment;

public sealed class AssessmentTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Office => Fixture.Token(Roles.PovertyOffice, "扶贫办考核科");

    private Task<Reported> History() => Given.LoopedHistory();

    [Fact]
    public async Task Scores_ranks_and_breakdowns_follow_the_default_rulebook()
    {
        var r = await History();
        var towns = await Given.GetJson("/api/assessments/2017/towns");
        var scores = towns.GetProperty("scores").EnumerateArray().ToDictionary(s => s.GetProperty("code").GetString()!);
        Assert.Equal(7, scores.Count);
        // 100 − 2 (A serious) − 0.5 (A returned) − 0.5 (B minor) − 1 (B overdue) = 96
        Assert.Equal(96m, scores["440233100"].GetProperty("score").GetDecimal());
        Assert.Equal(7, scores["440233100"].GetProperty("rank").GetInt32());
        // 100 − 1 (idle funds, minor) − 0.5 (closed late) + 1 (commendation) = 99.5
        Assert.Equal(99.5m, scores["440233101"].GetProperty("score").GetDecimal());
        Assert.Equal(6, scores["440233101"].GetProperty("rank").GetInt32());
        Assert.Equal(100m, scores["440233105"].GetProperty("score").GetDecimal());
        Assert.Equal(1, scores["440233105"].GetProperty("rank").GetInt32());
        Assert.All(scores.Values, s => Assert.Equal("好", s.GetProperty("grade").GetString()));

        var breakdown = await Given.GetJson("/api/assessments/2017/towns/440233100");
        var card = breakdown.GetProperty("card");
        var lines = card.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(card.GetProperty("score").GetDecimal(), lines.Sum(l => l.GetProperty("points").GetDecimal()));
        var returned = Assert.Single(lines, l => l.GetProperty("rule").GetString() == "rectification:returned");
        var returnEvent = Assert.Single(returned.GetProperty("eventIds").EnumerateArray()).GetGuid();
        await using var session = Fixture.Store.QuerySession("440233");
        var stream = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryAllRawEvents().Where(e => e.Id == returnEvent));
        Assert.Equal("rectification_returned", Assert.Single(stream).EventTypeName);

        Assert.Equal(200, (await Given.Get("/api/assessments/2017/towns/440233100", Given.Respondent())).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/assessments/2017/towns/440233100", Given.Respondent("440233101"))).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/assessments/2017/towns", Given.Respondent())).StatusCode);
    }

    [Fact]
    public async Task Every_breakdown_sums_to_its_score()
    {
        await History();
        foreach (var scope in new[] { "towns", "units" })
        {
            var list = await Given.GetJson($"/api/assessments/2017/{scope}");
            foreach (var s in list.GetProperty("scores").EnumerateArray())
            {
                var card = (await Given.GetJson($"/api/assessments/2017/{scope}/{s.GetProperty("code").GetString()}")).GetProperty("card");
                Assert.Equal(card.GetProperty("score").GetDecimal(),
                    card.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("points").GetDecimal()));
            }
        }
    }

    [Fact]
    public async Task A_published_assessment_is_frozen_recomputes_equal_and_is_corrected_by_a_new_revision()
    {
        var r = await History();
        await Expect(await Given.PostJson("/api/assessments/2017/publish", new { }, Office), 201);
        var frozen = (await Given.GetJson("/api/assessments/2017/published")).EnumerateArray().Single();
        Assert.Equal(1, frozen.GetProperty("revision").GetInt32());
        Assert.Equal(0, frozen.GetProperty("rulebookVersion").GetInt32());
        var town100 = frozen.GetProperty("scores").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "440233100");
        Assert.Equal(96m, town100.GetProperty("score").GetDecimal());

        // A later event changes the live score, not the published one.
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 12));
        await Given.Loop(r.FindingB, "responses", new { description = "补齐" }, Given.Respondent());
        await Given.Loop(r.FindingB, "acceptance", new { }, Office);
        var live = await Given.GetJson("/api/assessments/2017/towns/440233100");
        Assert.Equal(96.5m, live.GetProperty("card").GetProperty("score").GetDecimal()); // overdue −1 became closed late −0.5
        var stillFrozen = (await Given.GetJson("/api/assessments/2017/published")).EnumerateArray().Single();
        Assert.Equal(frozen.GetRawText(), stillFrozen.GetRawText());
        Assert.True((await Given.GetJson("/api/assessments/2017/published/1/recompute")).GetProperty("equal").GetBoolean());

        // A correction needs the revision it corrects and its reason, and names what changed.
        await Expect(await Given.PostJson("/api/assessments/2017/publish", new { reason = "整改已销号" }, Office), 409);
        await Expect(await Given.PostJson("/api/assessments/2017/publish", new { expectedRevision = 1 }, Office), 400);
        await Expect(await Given.PostJson("/api/assessments/2017/publish", new { expectedRevision = 1, reason = "整改已销号" }, Office), 201);
        var revisions = (await Given.GetJson("/api/assessments/2017/published")).EnumerateArray().ToList();
        Assert.Equal(2, revisions.Count);
        var change = Assert.Single(revisions[1].GetProperty("changes").EnumerateArray());
        Assert.Equal(("440233100", 96m, 96.5m), (change.GetProperty("code").GetString(), change.GetProperty("before").GetDecimal(),
            change.GetProperty("after").GetDecimal()));
        Assert.Equal("整改已销号", revisions[1].GetProperty("reason").GetString());
        await Expect(await Given.PostJson("/api/assessments/2017/publish", new { expectedRevision = 2, reason = "again" }, Office), 409);
    }

    [Fact]
    public async Task A_new_rulebook_gives_a_different_explained_result_and_a_bad_one_is_refused()
    {
        await History();
        var rulebook = Rulebook.Default(2017) with
        {
            Name = "新丰县2017年考核细则（修订）",
            Areas = [.. Rulebook.Default(2017).Areas.Select(a => a.Area == 4 ? a with { Serious = 5 } : a)],
        };
        var created = await Given.PostJson("/api/rulebooks", rulebook, Office);
        Assert.Equal(1, (await Expect(created, 201)).GetProperty("version").GetInt64());
        var inForce = await Given.GetJson("/api/rulebooks/2017");
        Assert.False(inForce.GetProperty("isDefault").GetBoolean());
        Assert.Equal(1, inForce.GetProperty("version").GetInt32());

        var card = (await Given.GetJson("/api/assessments/2017/towns/440233100")).GetProperty("card");
        Assert.Equal(93m, card.GetProperty("score").GetDecimal());  // A serious now costs 5 instead of 2
        var problem = card.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("rule").GetString() == "problem:4:serious");
        Assert.Equal(-5m, problem.GetProperty("points").GetDecimal());

        var before = await Fixture.EventCountAsync();
        var bad = rulebook with
        {
            Groups = [new("results", "减贫成效", 60, 60), .. rulebook.Groups.Skip(1)],
            Grades = [new("好", 85, 103), new("较好", 80, 90), new("一般", 60, 80), new("较差", -5, 60)],
        };
        var refused = await Expect(await Given.PostJson("/api/rulebooks", bad, Office), 400);
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("sum to 110", detail);
        Assert.Contains("overlap", detail);
        Assert.Equal(before, await Fixture.EventCountAsync());
        Assert.Equal(403, (await Given.PostJson("/api/rulebooks", rulebook, Fixture.Token(Roles.InspectionOffice))).StatusCode);
    }

    [Fact]
    public async Task The_ranking_and_breakdowns_export_as_a_workbook()
    {
        await History();
        var xlsx = await Given.Get("/api/assessments/2017/export.xlsx", Fixture.Token(Roles.Reviewer));
        Assert.Equal(200, xlsx.StatusCode);
        using var zip = new ZipArchive(new MemoryStream(xlsx.Body));
        Assert.NotNull(zip.GetEntry("xl/worksheets/sheet1.xml"));
        Assert.NotNull(zip.GetEntry("xl/worksheets/sheet2.xml"));
        using var reader = new StreamReader(zip.GetEntry("xl/workbook.xml")!.Open());
        var workbook = reader.ReadToEnd();
        Assert.Contains("排名", workbook);
        Assert.Contains("得分明细", workbook);
    }
}
