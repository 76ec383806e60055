using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Api.Exports;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Projections.Assessment;
using Ledger.Api.Audit;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Assessment;

public sealed record RankedScore(int Rank, string Code, decimal Score, string Grade, decimal Bonus, IReadOnlyList<GroupScore> Groups);

public sealed record AssessmentList(int Year, int? RulebookVersion, string Rulebook, DateTimeOffset AsOf, long AsOfSequence, IReadOnlyList<RankedScore> Scores);

public sealed record AssessmentBreakdown(int Year, int? RulebookVersion, DateTimeOffset AsOf, long AsOfSequence, int Rank, ScoreCard Card);

public static class GetAssessments
{
    private static AssessmentList List(ComputedAssessment a, IReadOnlyList<(ScoreCard Card, int Rank)> ranked) => new(
        a.Year, a.RulebookVersion, a.Rulebook.Name, a.AsOf, a.AsOfSequence,
        ranked.Select(r => new RankedScore(r.Rank, r.Card.Code, r.Card.Score, r.Card.Grade, r.Card.Bonus, r.Card.Groups)).ToList());

    /// <summary>Score, grade and rank of every town under the rulebook in force, as of now or <c>asOf</c>.</summary>
    [WolverineGet("/api/assessments/{year}/towns")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<AssessmentList> Towns(int year, DateTimeOffset? asOf, IQuerySession session, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var a = await Assessments.ComputeAsync(session, year, asOf, null, clock.GetUtcNow(), null, ct, key);
        return List(a, a.Towns);
    }

    [WolverineGet("/api/assessments/{year}/units")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<AssessmentList> Units(int year, DateTimeOffset? asOf, IQuerySession session, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var a = await Assessments.ComputeAsync(session, year, asOf, null, clock.GetUtcNow(), null, ct, key);
        return List(a, a.Units);
    }

    /// <summary>One town's breakdown: every deduction and addition with its rule and events, summing exactly to the score.</summary>
    [WolverineGet("/api/assessments/{year}/towns/{code}")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<AssessmentBreakdown>(200)]
    public static Task<IResult> Town(int year, string code, DateTimeOffset? asOf, IQuerySession session, Caller caller, TimeProvider clock,
        MacKey key, CancellationToken ct) => AccessRules.CanReadTown(caller, code)
            ? BreakdownAsync(year, code, asOf, a => a.Towns, session, clock, key, ct)
            : Task.FromResult(ProblemAnswers.Forbidden("a town or unit sees its own breakdown only").ToResult());

    [WolverineGet("/api/assessments/{year}/units/{code}")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<AssessmentBreakdown>(200)]
    public static Task<IResult> Unit(int year, string code, DateTimeOffset? asOf, IQuerySession session, Caller caller, TimeProvider clock,
        MacKey key, CancellationToken ct) => AccessRules.CanReadUnit(caller, code)
            ? BreakdownAsync(year, code, asOf, a => a.Units, session, clock, key, ct)
            : Task.FromResult(ProblemAnswers.Forbidden("a town or unit sees its own breakdown only").ToResult());

    private static async Task<IResult> BreakdownAsync(int year, string code, DateTimeOffset? asOf,
        Func<ComputedAssessment, IReadOnlyList<(ScoreCard Card, int Rank)>> pick, IQuerySession session,
        TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var a = await Assessments.ComputeAsync(session, year, asOf, null, clock.GetUtcNow(), null, ct, key);
        var found = pick(a).FirstOrDefault(r => r.Card.Code == code);
        return found.Card is null
            ? ProblemAnswers.NotFound($"no town or unit '{code}' in this county").ToResult()
            : Results.Ok(new AssessmentBreakdown(year, a.RulebookVersion, a.AsOf, a.AsOfSequence, found.Rank, found.Card));
    }

    /// <summary>The ranking of towns and units and every breakdown line, as an Excel workbook.</summary>
    [WolverineGet("/api/assessments/{year}/export.xlsx")]
    [Heavy(HeavyRoutes.Exports)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<IResult> Export(int year, DateTimeOffset? asOf, IQuerySession session, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var a = await Assessments.ComputeAsync(session, year, asOf, null, clock.GetUtcNow(), null, ct, key);
        var all = a.Towns.Select(t => (Scope: "镇（街）", t.Card, t.Rank)).Concat(a.Units.Select(u => (Scope: "单位", u.Card, u.Rank))).ToList();
        var ranking = new Table("排名",
            ["类别", "名次", "代码", "得分", "等次", "加分", .. a.Rulebook.Groups.Select(g => $"{g.Name}（{g.Weight}）")],
            all.Select(x => (IReadOnlyList<string?>)[x.Scope, x.Rank.ToString(), x.Card.Code, x.Card.Score.ToString("0.00"), x.Card.Grade,
                x.Card.Bonus.ToString("0.00"), .. x.Card.Groups.Select(g => g.Score.ToString("0.00"))]).ToList());
        var lines = new Table("得分明细", ["类别", "代码", "规则", "指标组", "分值", "说明", "事件编号"],
            all.SelectMany(x => x.Card.Lines.Select(l => (IReadOnlyList<string?>)[x.Scope, x.Card.Code, l.Rule, l.Group,
                l.Points.ToString("0.00"), l.Description, string.Join(" ", l.EventIds)])).ToList());
        return Table.Workbook($"assessment-{year}.xlsx", ranking, lines);
    }
}
