using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Api.Exports;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Projections.Cases;
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
    int Responses, int Returns, DateOnly? ClosedOn, bool ClosedLate, ExtensionRecord? PendingExtension, long Version,
    DateOnly AcknowledgeBy, AcknowledgementRecord? Acknowledgement, bool AwaitingAcknowledgement, bool AcknowledgementLate)
{
    /// <summary>待签收 / 已签收 / 逾期未签收, for people.</summary>
    public string AcknowledgementLabel => Acknowledgement is not null ? "已签收" : AwaitingAcknowledgement ? (AcknowledgementLate ? "逾期未签收" : "待签收") : "未签收";

    public static BoardEntry Of(CaseView c, DateOnly today, int acknowledgementDays)
    {
        var r = c.Rectification!;
        var status = r.StatusOn(today);
        var awaiting = r.Acknowledgement is null && r.Stage != RectificationStage.Closed;
        return new BoardEntry(c.Id, c.InspectionId, c.Year, c.TownCode, c.UnitCode, c.VillageCode, c.Area, c.AreaLabel,
            c.Severity, c.SeverityLabel, c.Description, r.Responsible, r.Action, r.NotifiedOn, r.OriginalDeadline, r.Deadline,
            r.Stage, r.StageLabel, status, Codes.LabelOf(status), r.Turns.Count, r.Returns, r.ClosedOn, r.ClosedLate,
            r.PendingExtension, c.Version, Acknowledgements.DueBy(r.NotifiedOn, acknowledgementDays), r.Acknowledgement,
            awaiting, awaiting && Acknowledgements.IsLate(r.NotifiedOn, acknowledgementDays, today));
    }
}

/// <summary>Per responsible town or unit: requirements issued, closed on time or late, open, overdue, returned at least once, open and not acknowledged (待签收).</summary>
public sealed record RectificationTally(
    string Responsible, int Issued, int ClosedOnTime, int ClosedLate, int Open, int Overdue, int ReturnedAtLeastOnce,
    int AwaitingVerification = 0, int VerificationLate = 0, int Unacknowledged = 0);

public sealed record RectificationSummary(int? Year, DateOnly AsOf, IReadOnlyList<RectificationTally> Towns, IReadOnlyList<RectificationTally> Units,
    RectificationTally Total);

public static class GetRectifications
{
    /// <summary>
    /// Requirements of the year (all years without one) the caller may see, in the database: a respondent
    /// sees those its own town or unit is responsible for: <see cref="AccessRules.CanReadRequirement"/> in the database.
    /// </summary>
    private static IQueryable<CaseView> Requirements(IQuerySession session, int? year, Caller caller)
    {
        var query = session.Query<CaseView>().Where(c => c.Rectification != null);
        if (year is not null) query = query.Where(c => c.Year == year);
        return AccessRules.SeesOwnScopeOnly(caller) ? query.AnsweredFor(caller) : query;
    }

    private static (RectificationStatus? Wanted, IResult? Problem) ParseStatus(string? status) =>
        CaseStatusFilter.TryParse(status, caseStatuses: false, out var filter, out var error)
            ? (filter.Rectification, null)
            : (null, ProblemAnswers.BadRequest(error!).ToResult());

    /// <summary>The board: requirements with their colour today, filtered; overdue first, then by deadline.</summary>
    [WolverineGet("/api/rectifications")]
    [Heavy(HeavyRoutes.Exports, HeavyWhen.AsCsv)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<IReadOnlyList<BoardEntry>>(200)]
    public static async Task<IResult> List(string? town, string? unit, string? status, int? year, IQuerySession session,
        HttpContext context, Caller caller, DateOnly today, CountyRules rules, CancellationToken ct)
    {
        var (wanted, problem) = ParseStatus(status);
        if (problem is not null) return problem;
        var entries = await BoardAsync(town, unit, wanted, year, session, caller, today, rules.AcknowledgementDays(session.TenantId), ct);
        return Table.WantsCsv(context) ? ToTable(entries).ToCsv("rectifications.csv") : Results.Ok(entries);
    }

    /// <summary>The same board as an Excel workbook.</summary>
    [WolverineGet("/api/rectifications/export.xlsx")]
    [Heavy(HeavyRoutes.Exports)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<FileContentResult>(200)]
    public static async Task<IResult> Export(string? town, string? unit, string? status, int? year, IQuerySession session,
        HttpContext context, Caller caller, DateOnly today, CountyRules rules, CancellationToken ct)
    {
        var (wanted, problem) = ParseStatus(status);
        if (problem is not null) return problem;
        var entries = await BoardAsync(town, unit, wanted, year, session, caller, today, rules.AcknowledgementDays(session.TenantId), ct);
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

    /// <summary>
    /// The board's order in PostgreSQL: open before closed, overdue first among the open (a deadline up to
    /// the last day <see cref="Deadlines"/> calls overdue), then by deadline.
    /// </summary>
    private static string BoardOrder(DateOnly today)
    {
        var lastOverdue = Deadlines.DeadlinesGiving(RectificationStatus.Overdue, today).To!.Value;
        const string stage = "(d.data -> 'Rectification' ->> 'Stage')::int";
        const string deadline = "(d.data -> 'Rectification' ->> 'Deadline')::date";
        var closed = (int)RectificationStage.Closed;
        var responded = (int)RectificationStage.Responded;
        return $"{stage} = {closed}, NOT ({stage} NOT IN ({closed}, {responded}) AND {deadline} <= DATE '{lastOverdue:yyyy-MM-dd}'), {deadline}, d.id";
    }

    private static async Task<List<BoardEntry>> BoardAsync(string? town, string? unit, RectificationStatus? wanted, int? year,
        IQuerySession session, Caller caller, DateOnly today, int acknowledgementDays, CancellationToken ct)
    {
        var query = Requirements(session, year, caller);
        if (!string.IsNullOrWhiteSpace(town)) query = query.Where(c => c.TownCode == town);
        if (!string.IsNullOrWhiteSpace(unit)) query = query.Where(c => c.UnitCode == unit || c.Rectification!.ResponsibleUnit == unit);
        if (wanted is { } colour) query = query.Coloured(colour, today);
        var cases = await query.OrderBySql(BoardOrder(today)).ToListAsync(ct);
        return cases.Select(c => BoardEntry.Of(c, today, acknowledgementDays)).ToList();
    }

    [WolverineGet("/api/rectifications/{id}")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<BoardEntry>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, DateOnly today, CountyRules rules, CancellationToken ct)
    {
        var c = await session.LoadAsync<CaseView>(id, ct);
        if (c?.Rectification is null || !AccessRules.CanReadRequirement(caller, c.Rectification.ResponsibleTown, c.Rectification.ResponsibleUnit))
            return ProblemAnswers.NotFound($"no rectification requirement {id} in this county").ToResult();
        return Results.Ok(BoardEntry.Of(c, today, rules.AcknowledgementDays(session.TenantId)));
    }

    /// <summary>For the county committee: the loop's figures per responsible town and unit, counted in the database.</summary>
    [WolverineGet("/api/rectification-summary")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<RectificationSummary> Summary(int? year, IQuerySession session, Caller caller, CountyRules rules, DateOnly today,
        CancellationToken ct)
    {
        var days = rules.Rectification(caller.County).VerificationDays;
        var towns = await TallyAsync(session, "ResponsibleTown", year, today, days, ct);
        var units = await TallyAsync(session, "ResponsibleUnit", year, today, days, ct);
        var total = (await TallyAsync(session, null, year, today, days, ct)).SingleOrDefault() ?? new RectificationTally("全县", 0, 0, 0, 0, 0, 0);
        return new RectificationSummary(year, today, towns, units, total with { Responsible = "全县" });
    }

    /// <summary>
    /// The tallies of requirements grouped by the responsible town or unit (or all of them together), as
    /// one GROUP BY: closed on time or late by <see cref="Deadlines.ClosedLate"/>, overdue by the deadline
    /// window <see cref="Deadlines.DeadlinesGiving"/> gives for today.
    /// </summary>
    private static async Task<List<RectificationTally>> TallyAsync(IQuerySession session, string? responsible, int? year, DateOnly today,
        int verificationDays, CancellationToken ct)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(CaseView)).TableName.QualifiedName;
        var closed = (int)RectificationStage.Closed;
        var responded = (int)RectificationStage.Responded;
        var lastOverdue = Deadlines.DeadlinesGiving(RectificationStatus.Overdue, today).To!.Value;
        var verificationLateBefore = today.AddDays(-verificationDays);
        var key = responsible is null ? "''" : $"r ->> '{responsible}'";
        var sql = $"""
            select json_build_object(
                'Responsible', k,
                'Issued', count(*),
                'ClosedOnTime', count(*) filter (where stage = {closed} and not late),
                'ClosedLate', count(*) filter (where late),
                'Open', count(*) filter (where stage <> {closed}),
                'Overdue', count(*) filter (where stage not in ({closed}, {responded}) and deadline <= ?),
                'ReturnedAtLeastOnce', count(*) filter (where returned),
                'AwaitingVerification', count(*) filter (where stage = {responded}),
                'VerificationLate', count(*) filter (where stage = {responded} and responded_on < ?),
                'Unacknowledged', count(*) filter (where stage <> {closed} and not acknowledged))
            from (
                select {key} as k, (r ->> 'Stage')::int as stage, (r ->> 'Deadline')::date as deadline,
                       coalesce((r ->> 'Late')::boolean, (r ->> 'ClosedOn')::date > (r ->> 'Deadline')::date, false) as late,
                       (r -> 'Turns' -> -1 ->> 'RespondedOn')::date as responded_on,
                       exists (select 1 from jsonb_array_elements(r -> 'Turns') t where t ->> 'Accepted' = 'false') as returned,
                       coalesce(jsonb_typeof(r -> 'Acknowledgement') = 'object', false) as acknowledged
                from (select data -> 'Rectification' as r, data from {table} where tenant_id = ?) d
                where jsonb_typeof(r) = 'object' {(year is null ? "" : "and (data ->> 'Year')::int = ?")}
            ) x
            where k is not null
            group by k order by k
            """;
        object[] parameters = year is null
            ? [lastOverdue, verificationLateBefore, session.TenantId]
            : [lastOverdue, verificationLateBefore, session.TenantId, year.Value];
        return (await session.AdvancedSql.QueryAsync<RectificationTally>(sql, ct, parameters)).ToList();
    }
}
