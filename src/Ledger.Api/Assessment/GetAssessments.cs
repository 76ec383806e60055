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

/// <summary>
/// One row of a ranking: the rank among those with data (null: 无数据, not ranked), the points of the
/// groups with data plus the bonus (null without data), the weight they rest on, the score brought
/// to the whole scale, the grade of that, and how much of it rests on data in words.
/// </summary>
public sealed record RankedScore(int? Rank, string Code, decimal? Score, string Grade, decimal Bonus, IReadOnlyList<GroupScore> Groups,
    decimal ScoredOn, decimal? Scaled, string Basis);

/// <summary>A ranking under the rulebook in force; <c>Note</c> says how ties and towns without data are shown, or why there is none.</summary>
public sealed record AssessmentList(int Year, int? RulebookVersion, string Rulebook, DateTimeOffset AsOf, long AsOfSequence, IReadOnlyList<RankedScore> Scores,
    string Note);

/// <summary>One breakdown: the rank among those with data (null: 无数据, not ranked) and the card.</summary>
public sealed record AssessmentBreakdown(int Year, int? RulebookVersion, DateTimeOffset AsOf, long AsOfSequence, int? Rank, ScoreCard Card);

public static class GetAssessments
{
    /// <summary>How a ranking is read, shown with it.</summary>
    public const string RankingNote =
        "按折算分（有数据指标组得分 × 100 ÷ 有数据权重，加加分）排名，同分同名次（1、2、2、4）；无数据者不排名，列于最后。";

    /// <summary>Shown instead of a ranking of units when the rulebook in force does not score them.</summary>
    public const string UnitsNotScored = "本年度考核细则不考核单位（只考核镇（街））。";

    private static AssessmentList List(ComputedAssessment a, IReadOnlyList<(ScoreCard Card, int Rank)> ranked, string note) => new(
        a.Year, a.RulebookVersion, a.Rulebook.Name, a.AsOf, a.AsOfSequence,
        ranked.Select(r => new RankedScore(r.Card.HasData ? r.Rank : null, r.Card.Code, r.Card.HasData ? r.Card.Score : null, r.Card.Grade,
            r.Card.Bonus, r.Card.Groups, r.Card.ScoredOn, r.Card.Scaled, r.Card.Basis)).ToList(), note);

    /// <summary>Score, grade and rank of every town under the rulebook in force, as of now or <c>asOf</c>.</summary>
    [WolverineGet("/api/assessments/{year}/towns")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<AssessmentList> Towns(int year, DateTimeOffset? asOf, IQuerySession session, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var a = await Assessments.ComputeAsync(session, year, asOf, null, clock.GetUtcNow(), null, ct, key);
        return List(a, a.Towns, RankingNote);
    }

    [WolverineGet("/api/assessments/{year}/units")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<AssessmentList> Units(int year, DateTimeOffset? asOf, IQuerySession session, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var a = await Assessments.ComputeAsync(session, year, asOf, null, clock.GetUtcNow(), null, ct, key);
        return List(a, a.Units, a.Rulebook.ScoresUnits ? RankingNote : UnitsNotScored);
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
            ? ProblemAnswers.NotFound(a.Rulebook.ScoresUnits || a.Towns.Any(t => t.Card.Code == code)
                ? $"no town or unit '{code}' in this county"
                : $"no town '{code}' in this county, and the rulebook of {year} does not score units").ToResult()
            : Results.Ok(new AssessmentBreakdown(year, a.RulebookVersion, a.AsOf, a.AsOfSequence, found.Card.HasData ? found.Rank : null, found.Card));
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
            ["类别", "名次", "代码", "得分", "计分基础", "折算分", "等次", "加分", .. a.Rulebook.Groups.Select(g => $"{g.Name}（{g.Weight}）")],
            all.Select(x => (IReadOnlyList<string?>)[x.Scope, x.Card.HasData ? x.Rank.ToString() : "", x.Card.Code,
                x.Card.HasData ? x.Card.Score.ToString("0.00") : ScoreCard.NoData, x.Card.Basis, x.Card.Scaled?.ToString("0.00") ?? "", x.Card.Grade,
                x.Card.Bonus.ToString("0.00"), .. x.Card.Groups.Select(g => g.HasData ? g.Score.ToString("0.00") : ScoreCard.NoData)]).ToList());
        var lines = new Table("得分明细", ["类别", "代码", "规则", "指标组", "分值", "说明", "事件编号"],
            all.SelectMany(x => x.Card.Lines.Select(l => (IReadOnlyList<string?>)[x.Scope, x.Card.Code, l.Rule, l.Group,
                l.Points.ToString("0.00"), l.Description, string.Join(" ", l.EventIds)])).ToList());
        return Table.Workbook($"assessment-{year}.xlsx", ranking, lines);
    }
}
