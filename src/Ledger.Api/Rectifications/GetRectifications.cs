using Ledger.Api.Exports;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>One requirement on the office's board, with its colour today.</summary>
public sealed record BoardEntry(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    ContentArea Area, string AreaLabel, Severity? Severity, string? SeverityLabel, string Description,
    string Responsible, string Action, DateOnly NotifiedOn, DateOnly OriginalDeadline, DateOnly Deadline,
    RectificationStage Stage, string StageLabel, RectificationStatus Status, string StatusLabel,
    int Responses, int Returns, DateOnly? ClosedOn, bool ClosedLate, ExtensionRecord? PendingExtension, long Version)
{
    public static BoardEntry Of(Case c, DateOnly today)
    {
        var r = c.Rectification!;
        var status = r.StatusOn(today);
        return new BoardEntry(c.Id, c.InspectionId, c.Year, c.TownCode, c.UnitCode, c.VillageCode, c.Area, c.AreaLabel,
            c.Severity, c.SeverityLabel, c.Description, r.Responsible, r.Action, r.NotifiedOn, r.OriginalDeadline, r.Deadline,
            r.Stage, r.StageLabel, status, Codes.LabelOf(status), r.Turns.Count, r.Returns, r.ClosedOn, r.ClosedLate,
            r.PendingExtension, c.Version);
    }
}

/// <summary>Per responsible town or unit: requirements issued, closed on time or late, open, overdue, returned at least once.</summary>
public sealed record RectificationTally(
    string Responsible, int Issued, int ClosedOnTime, int ClosedLate, int Open, int Overdue, int ReturnedAtLeastOnce);

public sealed record RectificationSummary(int? Year, DateOnly AsOf, IReadOnlyList<RectificationTally> Towns, IReadOnlyList<RectificationTally> Units,
    RectificationTally Total);

public static class GetRectifications
{
    private static async Task<List<Case>> RequirementsAsync(IQuerySession session, int? year, Caller caller, CancellationToken ct)
    {
        var query = session.Query<Case>().Where(c => c.Rectification != null);
        if (year is not null) query = query.Where(c => c.Year == year);
        var cases = await query.ToListAsync(ct);
        return caller.Role == Roles.Respondent
            ? cases.Where(c => c.Rectification!.Responsible == caller.Scope).ToList()
            : cases.ToList();
    }

    /// <summary>The board: requirements with their colour today, filtered; overdue first, then by deadline.</summary>
    [WolverineGet("/api/rectifications")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<IReadOnlyList<BoardEntry>>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    public static async Task<IResult> List(string? town, string? unit, string? status, int? year, IQuerySession session,
        HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        RectificationStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Codes.TryParse<RectificationStatus>(status, out var parsed))
                return ProblemAnswers.BadRequest($"status '{status}' is not one of: {Codes.Accepted<RectificationStatus>()}").ToResult();
            wanted = parsed;
        }
        var entries = await BoardAsync(town, unit, wanted, year, session, CallerClaims.From(context.User), ChinaTime.Today(clock.GetUtcNow()), ct);
        return Table.WantsCsv(context) ? ToTable(entries).ToCsv("rectifications.csv") : Results.Ok(entries);
    }

    /// <summary>The same board as an Excel workbook.</summary>
    [WolverineGet("/api/rectifications/export.xlsx")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<FileContentResult>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    public static async Task<IResult> Export(string? town, string? unit, string? status, int? year, IQuerySession session,
        HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        RectificationStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Codes.TryParse<RectificationStatus>(status, out var parsed))
                return ProblemAnswers.BadRequest($"status '{status}' is not one of: {Codes.Accepted<RectificationStatus>()}").ToResult();
            wanted = parsed;
        }
        var entries = await BoardAsync(town, unit, wanted, year, session, CallerClaims.From(context.User), ChinaTime.Today(clock.GetUtcNow()), ct);
        return ToTable(entries).ToXlsx("rectifications.xlsx");
    }

    public static Table ToTable(IEnumerable<BoardEntry> entries) => new("整改台账",
        ["案件编号", "年度", "镇（街）", "单位", "村", "督查内容", "严重程度", "问题", "责任单位", "整改要求", "通报日期", "原定期限", "现期限", "进度", "状态", "反馈次数", "退回次数", "销号日期", "是否逾期销号"],
        entries.Select(e => (IReadOnlyList<string?>)
        [
            e.CaseId.ToString(), e.Year.ToString(), e.TownCode, e.UnitCode, e.VillageCode, e.AreaLabel, e.SeverityLabel, e.Description,
            e.Responsible, e.Action, e.NotifiedOn.ToString("yyyy-MM-dd"), e.OriginalDeadline.ToString("yyyy-MM-dd"), e.Deadline.ToString("yyyy-MM-dd"),
            e.StageLabel, e.StatusLabel, e.Responses.ToString(), e.Returns.ToString(), e.ClosedOn?.ToString("yyyy-MM-dd"), e.ClosedLate ? "是" : "否",
        ]).ToList());

    private static async Task<List<BoardEntry>> BoardAsync(string? town, string? unit, RectificationStatus? wanted, int? year,
        IQuerySession session, Caller caller, DateOnly today, CancellationToken ct)
    {
        return (await RequirementsAsync(session, year, caller, ct))
            .Where(c => string.IsNullOrWhiteSpace(town) || c.TownCode == town)
            .Where(c => string.IsNullOrWhiteSpace(unit) || c.UnitCode == unit || c.Rectification!.ResponsibleUnit == unit)
            .Select(c => BoardEntry.Of(c, today))
            .Where(e => wanted is null || e.Status == wanted)
            .OrderBy(e => e.Status == RectificationStatus.Closed).ThenBy(e => e.Status != RectificationStatus.Overdue).ThenBy(e => e.Deadline)
            .ToList();
    }

    [WolverineGet("/api/rectifications/{id}")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<BoardEntry>(200)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var c = await session.LoadAsync<Case>(id, ct);
        if (c?.Rectification is null) return ProblemAnswers.NotFound($"no rectification requirement {id} in this county").ToResult();
        var caller = CallerClaims.From(context.User);
        if (caller.Role == Roles.Respondent && caller.Scope != c.Rectification.Responsible)
            return ProblemAnswers.Forbidden("this requirement is not yours").ToResult();
        return Results.Ok(BoardEntry.Of(c, ChinaTime.Today(clock.GetUtcNow())));
    }

    /// <summary>For the county committee: the loop's figures per responsible town and unit.</summary>
    [WolverineGet("/api/rectification-summary")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<RectificationSummary> Summary(int? year, IQuerySession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var today = ChinaTime.Today(clock.GetUtcNow());
        var cases = await RequirementsAsync(session, year, CallerClaims.From(context.User), ct);
        RectificationTally Tally(string responsible, IReadOnlyCollection<Case> group) => new(responsible, group.Count,
            group.Count(c => c.Rectification!.Stage == RectificationStage.Closed && !c.Rectification.ClosedLate),
            group.Count(c => c.Rectification!.ClosedLate),
            group.Count(c => c.Rectification!.Stage != RectificationStage.Closed),
            group.Count(c => c.Rectification!.StatusOn(today) == RectificationStatus.Overdue),
            group.Count(c => c.Rectification!.Returns > 0));
        List<RectificationTally> By(Func<Rectification, string?> key) => cases
            .Where(c => key(c.Rectification!) is not null)
            .GroupBy(c => key(c.Rectification!)!)
            .OrderBy(g => g.Key)
            .Select(g => Tally(g.Key, g.ToList())).ToList();
        return new RectificationSummary(year, today, By(r => r.ResponsibleTown), By(r => r.ResponsibleUnit), Tally("全县", cases));
    }
}
