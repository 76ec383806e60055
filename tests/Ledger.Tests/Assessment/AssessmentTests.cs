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
        // 100 − 2 (A serious) − 0.5 (A returned) − 0.5 (B minor) − 1 (B overdue) = 96
        Assert.Equal(96m, scores["440233100"].Score);
        Assert.Equal(7, scores["440233100"].Rank);
        // 100 − 1 (idle funds, minor) − 0.5 (closed late) + 1 (commendation) = 99.5
        Assert.Equal(99.5m, scores["440233101"].Score);
        Assert.Equal(6, scores["440233101"].Rank);
        Assert.Equal(100m, scores["440233105"].Score);
        Assert.Equal(1, scores["440233105"].Rank);
        Assert.All(scores.Values, s => Assert.Equal("好", s.Grade));
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
