using Ledger.Domain.Access;
using System.IO.Compression;
using System.Text.Json;
using Ledger.Api.Assessment;
using Ledger.Api.Writes;
using Ledger.Domain.Rectifications;
using Ledger.Domain.Assessment;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Assessment;

public sealed class AssessmentTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Office => Fixture.Token(Roles.PovertyOffice, "扶贫办考核科");

    private Task<Reported> History() => Given.LoopedHistory();

    [Fact]
    public async Task Scores_and_ranks_follow_the_default_rulebook()
    {
        await History();
        var towns = await Given.Get<AssessmentList>("/api/assessments/2017/towns");
        var scores = towns.Scores.ToDictionary(s => s.Code);
        Assert.Equal(7, scores.Count);
        // Towns 100 and 101 were inspected comprehensively: every group rests on data.
        // 100 − 2 (A serious) − 0.5 (A returned) − 0.5 (B minor) − 1 (B overdue) = 96
        Assert.Equal((96m, 100m, 96m, "好", 2), (scores["440233100"].Score, scores["440233100"].ScoredOn, scores["440233100"].Scaled,
            scores["440233100"].Grade, scores["440233100"].Rank));
        // 100 − 1 (idle funds, minor) − 0.5 (closed late) + 1 (commendation) = 99.5
        Assert.Equal((99.5m, 1), (scores["440233101"].Score, scores["440233101"].Rank));
        // The five towns nobody inspected are not ranked and show 无数据, not full marks.
        foreach (var code in new[] { "440233001", "440233102", "440233103", "440233104", "440233105" })
        {
            var s = scores[code];
            Assert.Equal((null, null, 0m, "无数据", "无数据"), (s.Score, s.Rank, s.ScoredOn, s.Grade, s.Basis));
        }
        Assert.Equal(["440233101", "440233100"], towns.Scores.Take(2).Select(s => s.Code).ToArray());
        Assert.Contains("无数据者不排名", towns.Note);
    }

    [Fact]
    public async Task A_fresh_ledger_shows_no_data_for_every_town_and_scores_no_units_by_default()
    {
        await Given.SampleRegistry();
        var towns = await Given.Get<AssessmentList>("/api/assessments/2017/towns");
        Assert.Contains("督查情况考核参考", towns.Rulebook);
        Assert.Equal(7, towns.Scores.Count);
        Assert.All(towns.Scores, s =>
        {
            Assert.Equal((null, null, "无数据", 0m, (decimal?)null), (s.Score, s.Rank, s.Grade, s.ScoredOn, s.Scaled));
            Assert.All(s.Groups, g => Assert.Equal("无数据", g.Shown));
        });
        var breakdown = await Given.Get<AssessmentBreakdown>("/api/assessments/2017/towns/440233105");
        Assert.Null(breakdown.Rank);
        Assert.Empty(breakdown.Card.Lines);

        var units = await Given.Get<AssessmentList>("/api/assessments/2017/units");
        Assert.Empty(units.Scores);
        Assert.Contains("不考核单位", units.Note);
        Assert.Equal(404, (await Given.Get("/api/assessments/2017/units/wt-100", Fixture.Token(Roles.Reviewer))).StatusCode);
        var rulebook = await Given.Get<RulebookAnswer>("/api/rulebooks/2017");
        Assert.Equal((false, Exposures.PerInspection), (rulebook.Rulebook.ScoresUnits, rulebook.Rulebook.Exposure));
    }

    [Fact]
    public async Task Units_are_scored_where_a_rulebook_says_so()
    {
        await History();
        await Expect(await Given.Post("/api/rulebooks", Rulebook.Default(2017) with { Name = "含单位的细则", ScoresUnits = true }, Office), 201);
        var units = (await Given.Get<AssessmentList>("/api/assessments/2017/units")).Scores.ToDictionary(s => s.Code);
        Assert.Equal(100m, units["wt-100"].Score);   // inspected, nothing found
        Assert.Equal("无数据", units.Values.First(u => u.Code != "wt-100").Grade);
    }

    [Fact]
    public async Task Inspecting_a_town_more_often_does_not_by_itself_lower_its_score()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        // Town 102: one inspection, one minor problem. Town 103: two inspections, one minor problem in each.
        var first = await Given.InspectionInField(PlanBody(towns: ["440233102", "440233103"], units: []));
        var second = await Given.InspectionInField(PlanBody(towns: ["440233103"], units: []));
        await Given.RecordedFinding(first, FindingBody(town: "440233102", village: "440233102201", area: 1, severity: "minor"));
        await Given.RecordedFinding(first, FindingBody(town: "440233103", village: "440233103201", area: 1, severity: "minor"));
        await Given.RecordedFinding(second, FindingBody(town: "440233103", village: "440233103202", area: 1, severity: "minor"));
        // A special inspection of town 104 on identification (area 4) only: scored on 15 of 100 points.
        await Given.InspectionInField(PlanBody(kind: "special", topic: "精准识别专项", areas: [4], towns: ["440233104"], units: []));

        var scores = (await Given.Get<AssessmentList>("/api/assessments/2017/towns")).Scores.ToDictionary(s => s.Code);
        // Town 104 (below) is first with 100 scaled; 102 and 103 tie for second.
        Assert.Equal((99.5m, 2), (scores["440233102"].Score, scores["440233102"].Rank));    // 100 − 0.5
        Assert.Equal((99.5m, 2), (scores["440233103"].Score, scores["440233103"].Rank));    // 100 − 0.5 ÷ 2 − 0.5 ÷ 2
        var lines = (await Given.Get<AssessmentBreakdown>("/api/assessments/2017/towns/440233103")).Card.Lines.Where(l => l.Rule == "problem:1:minor");
        Assert.Equal([-0.25m, -0.25m], lines.Select(l => l.Points).ToArray());
        var special = scores["440233104"];
        Assert.Equal((15m, 15m, 100m, "按 15/100 分计（其余指标组无数据）"), (special.Score, special.ScoredOn, special.Scaled, special.Basis));
        Assert.Equal("无数据", special.Groups.Single(g => g.Code == "results").Shown);

        // Under a rulebook without exposure, the town inspected twice would lose twice as much.
        await Expect(await Given.Post("/api/rulebooks", Rulebook.Default(2017) with { Name = "不折算", Exposure = Exposures.None }, Office), 201);
        Assert.Equal(99m, (await Given.Get<AssessmentList>("/api/assessments/2017/towns")).Scores.Single(s => s.Code == "440233103").Score);
    }

    [Fact]
    public async Task A_breakdown_sums_to_its_score_and_each_line_names_the_events_behind_it()
    {
        await History();
        var breakdown = await Given.Get<AssessmentBreakdown>("/api/assessments/2017/towns/440233100");
        var card = breakdown.Card;
        var lines = card.Lines;
        Assert.Equal(card.Score, lines.Sum(l => l.Points));
        var returned = Assert.Single(lines, l => l.Rule == "rectification:returned");
        var returnEvent = Assert.Single(returned.EventIds);
        await using var session = Fixture.Store.QuerySession("440233");
        var stream = await Marten.QueryableExtensions.ToListAsync(session.Events.QueryAllRawEvents().Where(e => e.Id == returnEvent));
        Assert.Equal("rectification_returned", Assert.Single(stream).EventTypeName);
    }

    [Fact]
    public async Task A_respondent_reads_its_own_breakdown_only_and_not_the_ranking()
    {
        await History();
        Assert.Equal(200, (await Given.Get("/api/assessments/2017/towns/440233100", Given.Respondent())).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/assessments/2017/towns/440233100", Given.Respondent("town:440233101"))).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/assessments/2017/towns", Given.Respondent())).StatusCode);
    }

    [Fact]
    public async Task Every_breakdown_sums_to_its_score()
    {
        await History();
        foreach (var scope in new[] { "towns", "units" })
        {
            var list = await Given.Get<AssessmentList>($"/api/assessments/2017/{scope}");
            foreach (var s in list.Scores)
            {
                var card = (await Given.Get<AssessmentBreakdown>($"/api/assessments/2017/{scope}/{s.Code}")).Card;
                Assert.Equal(card.Score, card.Lines.Sum(l => l.Points));
            }
        }
    }

    [Fact]
    public async Task A_published_assessment_is_frozen_recomputes_equal_and_is_corrected_by_a_new_revision()
    {
        var r = await History();
        await Expect(await Given.Post("/api/assessments/2017/publish", new PublishAssessment(null, null, null), Office), 201);
        var frozenJson = (await Given.GetJson("/api/assessments/2017/published")).EnumerateArray().Single();
        var frozen = Assert.Single(await Given.Get<List<AssessmentPublished>>("/api/assessments/2017/published"));
        Assert.Equal(1, frozen.Revision);
        Assert.Equal(0, frozen.RulebookVersion);
        var town100 = frozen.Scores.Single(s => s.Code == "440233100");
        Assert.Equal(96m, town100.Score);

        // A later event changes the live score, not the published one.
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 12));
        await Given.Loop(r.FindingB, "responses", new RespondToRectification(null, "补齐", null, null), Given.Respondent());
        await Given.Loop(r.FindingB, "acceptance", new AcceptRectification(null, null, null), Office);
        var live = await Given.Get<AssessmentBreakdown>("/api/assessments/2017/towns/440233100");
        Assert.Equal(96.5m, live.Card.Score); // overdue −1 became closed late −0.5
        // The published answer is compared as the JSON it is served as: byte for byte the same.
        var stillFrozen = (await Given.GetJson("/api/assessments/2017/published")).EnumerateArray().Single();
        Assert.Equal(frozenJson.GetRawText(), stillFrozen.GetRawText());
        Assert.True((await Given.Get<Recomputation>("/api/assessments/2017/published/1/recompute")).Equal);

        // A correction needs the revision it corrects and its reason, and names what changed.
        await Expect(await Given.Post("/api/assessments/2017/publish", new PublishAssessment(null, "整改已销号", null), Office), 409);
        await Expect(await Given.Post("/api/assessments/2017/publish", new PublishAssessment(null, null, 1), Office), 400);
        await Expect(await Given.Post("/api/assessments/2017/publish", new PublishAssessment(null, "整改已销号", 1), Office), 201);
        var revisions = await Given.Get<List<AssessmentPublished>>("/api/assessments/2017/published");
        Assert.Equal(2, revisions.Count);
        var change = Assert.Single(revisions[1].Changes);
        Assert.Equal(("440233100", 96m, 96.5m), (change.Code, change.Before, change.After));
        Assert.Equal("整改已销号", revisions[1].Reason);
        await Expect(await Given.Post("/api/assessments/2017/publish", new PublishAssessment(null, "again", 2), Office), 409);
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
        var created = await Given.Post("/api/rulebooks", rulebook, Office);
        Assert.Equal(1, (await Expect<WriteAnswer>(created, 201)).Version);
        var inForce = await Given.Get<RulebookAnswer>("/api/rulebooks/2017");
        Assert.False(inForce.IsDefault);
        Assert.Equal(1, inForce.Version);

        var card = (await Given.Get<AssessmentBreakdown>("/api/assessments/2017/towns/440233100")).Card;
        Assert.Equal(93m, card.Score);  // A serious now costs 5 instead of 2
        var problem = card.Lines.Single(l => l.Rule == "problem:4:serious");
        Assert.Equal(-5m, problem.Points);

        var before = await Fixture.EventCountAsync();
        var bad = rulebook with
        {
            Groups = [new("results", "减贫成效", 60, 60), .. rulebook.Groups.Skip(1)],
            Grades = [new("好", 85, 103), new("较好", 80, 90), new("一般", 60, 80), new("较差", -5, 60)],
        };
        var refused = await Expect(await Given.Post("/api/rulebooks", bad, Office), 400);
        var detail = refused.GetProperty("detail").GetString()!;
        Assert.Contains("sum to 110", detail);
        Assert.Contains("overlap", detail);
        Assert.Equal(before, await Fixture.EventCountAsync());
        Assert.Equal(403, (await Given.Post("/api/rulebooks", rulebook, Fixture.Token(Roles.InspectionOffice))).StatusCode);
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
