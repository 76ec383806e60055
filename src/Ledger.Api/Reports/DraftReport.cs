using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Reports;

/// <summary>Problems of one content area in one town (or at a unit without a town).</summary>
public sealed record DraftGroup(ContentArea Area, string AreaLabel, string? TownCode, string? UnitCode,
    int Count, int Minor, int Serious, int Grave, IReadOnlyList<ReportProblem> Problems);

/// <summary>Sums over the funding checks: all of them, and per irregularity the checks and the money that arrived in them.</summary>
public sealed record DraftFunding(int Checks, decimal Allocated, decimal Arrived, decimal Spent, IReadOnlyList<DraftIrregularity> Irregularities);

public sealed record DraftIrregularity(FundIrregularity Kind, string Label, int Checks, decimal Arrived);

/// <summary>A report drafted from the findings, for the leader to edit and submit.</summary>
public sealed record ReportDraft(
    Guid InspectionId, string Situation, IReadOnlyList<ReportProblem> Problems, string Opinions, string Suggestions,
    int Records, int ProblemCount, IReadOnlyList<DraftGroup> Groups, DraftFunding Funding);

public static class DraftReport
{
    [WolverineGet("/api/inspections/{id}/report/draft")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<ReportDraft>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var inspection = await session.LoadAsync<InspectionView>(id, ct);
        if (inspection is null || !AccessRules.CanRead(caller, inspection))
            return ProblemAnswers.NotFound($"no inspection {id} in this county").ToResult();
        if (!AccessRules.CanReadDraft(caller, inspection))
            return ProblemAnswers.Forbidden("the draft is for the team and the offices").ToResult();
        var cases = await session.Query<CaseView>().Where(c => c.InspectionId == id).ToListAsync(ct);
        var name = await Ledger.Api.Documents.DocumentIssuing.NamesAsync(session,
            [.. inspection.TownCodes, .. cases.Select(c => c.TownCode)], [.. inspection.UnitCodes, .. cases.Select(c => c.UnitCode)],
            cases.Select(c => c.VillageCode), ct);
        return Results.Ok(Draft(inspection, cases, name));
    }

    /// <summary>The draft, naming towns, units and villages by <paramref name="name"/> (their registry names; codes stay in the groups).</summary>
    public static ReportDraft Draft(InspectionView inspection, IReadOnlyList<CaseView> cases, Func<string?, string> name)
    {
        var live = cases.Where(c => c.Status == CaseStatus.Open).ToList();
        var problems = live.Where(c => c.IsProblem).OrderBy(c => c.Area).ThenBy(c => c.TownCode).ThenBy(c => c.RecordedOn).ToList();
        var groups = problems.GroupBy(c => (c.Area, c.TownCode, Unit: c.TownCode is null ? c.UnitCode : null))
            .Select(g => new DraftGroup(g.Key.Area, Codes.LabelOf(g.Key.Area), g.Key.TownCode, g.Key.Unit, g.Count(),
                g.Count(c => c.Severity == Severity.Minor), g.Count(c => c.Severity == Severity.Serious), g.Count(c => c.Severity == Severity.Grave),
                g.Select(c => Summarise(c, name)).ToList()))
            .ToList();
        var checks = live.Where(c => c.Funding is not null).Select(c => c.Funding!).ToList();
        var funding = new DraftFunding(checks.Count, checks.Sum(f => f.Allocated), checks.Sum(f => f.Arrived), checks.Sum(f => f.Spent),
            Enum.GetValues<FundIrregularity>()
                .Select(kind => (kind, hits: checks.Where(f => f.Irregularities.Contains(kind)).ToList()))
                .Where(x => x.hits.Count > 0)
                .Select(x => new DraftIrregularity(x.kind, Codes.LabelOf(x.kind), x.hits.Count, x.hits.Sum(f => f.Arrived)))
                .ToList());

        var scope = string.Join("、", inspection.TownCodes.Concat(inspection.UnitCodes).Select(name));
        var situation =
            $"{inspection.Year}年{inspection.KindLabel}" + (inspection.Topic is { } topic ? $"（{topic}）" : "") +
            $"于{inspection.FieldworkStartedOn:yyyy-MM-dd}起对{scope}开展实地督查，共形成记录{live.Count}条，发现问题{problems.Count}个" +
            (checks.Count > 0 ? $"；检查资金{checks.Count}项，到位{funding.Arrived:0.00}元，已支出{funding.Spent:0.00}元" : "") + "。";
        return new ReportDraft(inspection.Id, situation, problems.Select(c => Summarise(c, name)).ToList(), "", "", live.Count, problems.Count, groups, funding);
    }

    private static ReportProblem Summarise(CaseView c, Func<string?, string> name) =>
        new(c.Id, $"[{c.AreaLabel}][{c.SeverityLabel}] {name(c.TownCode ?? c.UnitCode)}{(c.VillageCode is null ? "" : name(c.VillageCode))}：{c.Description}");
}
