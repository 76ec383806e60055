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
using Marten.Linq;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Cases;

/// <summary>One case in a list: what it is about, where, how bad, and where its rectification stands today.</summary>
public sealed record CaseListItem(
    Guid Id, Guid InspectionId, int Year, CaseKind Kind, string KindLabel, string? TownCode, string? UnitCode, string? VillageCode,
    ContentArea Area, string AreaLabel, Severity? Severity, string? SeverityLabel, CaseStatus Status, string StatusLabel,
    bool IsProblem, string Description, DateOnly RecordedOn, string RecordedBy,
    RectificationStatus? Rectification, string? RectificationLabel, DateOnly? Deadline, long Version);

public sealed record CasePage(int Total, int Page, int PageSize, IReadOnlyList<CaseListItem> Items);

/// <summary>The filters of <c>GET /api/cases</c>, parsed and checked once for the list and its exports.</summary>
public sealed record CaseFilter(
    string? Town, string? Unit, string? Village, ContentArea? Area, Severity? Severity, CaseStatus? Status,
    RectificationStatus? Rectification, int? Year, Guid? Inspection, string Sort);

public static class ListCases
{
    /// <summary>Each sort as PostgreSQL orders it, with nulls where a sort in .NET puts them (first going up, last going down).</summary>
    private static readonly Dictionary<string, string> Orders = new()
    {
        ["recordedOn"] = "d.data ->> 'RecordedOn', d.id",
        ["-recordedOn"] = "d.data ->> 'RecordedOn' DESC, d.id",
        ["severity"] = "(d.data ->> 'Severity')::int NULLS FIRST, d.data ->> 'RecordedOn' DESC, d.id",
        ["-severity"] = "(d.data ->> 'Severity')::int DESC NULLS LAST, d.data ->> 'RecordedOn' DESC, d.id",
        ["area"] = "(d.data ->> 'Area')::int, d.data ->> 'RecordedOn' DESC, d.id",
        ["town"] = "d.data ->> 'TownCode' NULLS FIRST, d.data ->> 'RecordedOn' DESC, d.id",
    };

    public static readonly string[] Sorts = [.. Orders.Keys];

    public static (CaseFilter? Filter, IResult? Problem) Parse(string? town, string? unit, string? village, int? area, string? severity,
        string? status, int? year, Guid? inspection, string? sort)
    {
        var errors = new List<string>();
        Severity? wantedSeverity = null;
        if (!string.IsNullOrWhiteSpace(severity))
        {
            if (Codes.TryParse<Severity>(severity, out var s)) wantedSeverity = s;
            else errors.Add($"severity '{severity}' is not one of: {Codes.Accepted<Severity>()}");
        }
        if (!CaseStatusFilter.TryParse(status, caseStatuses: true, out var statusFilter, out var statusError)) errors.Add(statusError!);
        if (area is not null && !ContentAreas.IsValid(area)) errors.Add("area must be 1–8");
        if (sort is not null && !Sorts.Contains(sort)) errors.Add($"sort must be one of: {string.Join(", ", Sorts)}");
        if (errors.Count > 0) return (null, ProblemAnswers.BadRequest(string.Join("; ", errors)).ToResult());
        return (new CaseFilter(Blank(town), Blank(unit), Blank(village), (ContentArea?)area, wantedSeverity, statusFilter.Case,
            statusFilter.Rectification, year, inspection, sort ?? "-recordedOn"), null);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>The cases matching the filter that the caller may see, sorted: a query PostgreSQL runs.</summary>
    public static async Task<IQueryable<CaseView>> QueryAsync(CaseFilter f, IQuerySession session, Caller caller, DateOnly today,
        CancellationToken ct)
    {
        var query = await session.Query<CaseView>().ReadableAsync(caller, session, ct);
        if (f.Town is not null) query = query.Where(c => c.TownCode == f.Town);
        if (f.Unit is not null) query = query.Where(c => c.UnitCode == f.Unit);
        if (f.Village is not null) query = query.Where(c => c.VillageCode == f.Village);
        if (f.Area is not null) query = query.Where(c => c.Area == f.Area);
        if (f.Severity is not null) query = query.Where(c => c.Severity == f.Severity);
        if (f.Status is not null) query = query.Where(c => c.Status == f.Status);
        if (f.Year is not null) query = query.Where(c => c.Year == f.Year);
        if (f.Inspection is not null) query = query.Where(c => c.InspectionId == f.Inspection);
        if (f.Rectification is { } colour) query = query.Coloured(colour, today);
        return query.OrderBySql(Orders[f.Sort]);
    }

    /// <summary>Every matching case, as list items: for exports and profiles, which show them all.</summary>
    public static async Task<List<CaseListItem>> AllAsync(CaseFilter f, IQuerySession session, Caller caller, DateOnly today, CancellationToken ct) =>
        (await (await QueryAsync(f, session, caller, today, ct)).ToListAsync(ct)).Select(c => Item(c, today)).ToList();

    private static CaseListItem Item(CaseView c, DateOnly today)
    {
        var status = c.Rectification?.StatusOn(today);
        return new CaseListItem(c.Id, c.InspectionId, c.Year, c.Kind, c.KindLabel, c.TownCode, c.UnitCode, c.VillageCode, c.Area, c.AreaLabel,
            c.Severity, c.SeverityLabel, c.Status, c.StatusLabel, c.IsProblem, c.Description, c.RecordedOn, c.RecordedBy,
            status, status is { } s ? Codes.LabelOf(s) : null, c.Rectification?.Deadline, c.Version);
    }

    public static Table ToTable(IEnumerable<CaseListItem> items) => new("督查案件",
        ["案件编号", "年度", "类别", "镇（街）", "单位", "村", "督查内容", "严重程度", "状态", "是否问题", "情况描述", "记录日期", "记录人", "整改状态", "整改期限"],
        items.Select(i => (IReadOnlyList<string?>)
        [
            i.Id.ToString(), i.Year.ToString(), i.KindLabel, i.TownCode, i.UnitCode, i.VillageCode, i.AreaLabel, i.SeverityLabel, i.StatusLabel,
            i.IsProblem ? "是" : "否", i.Description, i.RecordedOn.ToString("yyyy-MM-dd"), i.RecordedBy, i.RectificationLabel,
            i.Deadline?.ToString("yyyy-MM-dd"),
        ]).ToList());

    /// <summary>
    /// Cases with filters, sorting (<c>sort=</c>) and paging (<c>page</c> from 1, <c>pageSize</c> 1–500, default 50); the
    /// answer carries the total. <c>status</c> is a case status (open, withdrawn) or a rectification colour
    /// (closed, overdue, due-soon, on-track). With <c>Accept: text/csv</c>, every matching case as CSV.
    /// </summary>
    [WolverineGet("/api/cases")]
    [Heavy(HeavyRoutes.Exports, HeavyWhen.AsCsv)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<CasePage>(200)]
    public static async Task<IResult> List(string? town, string? unit, string? village, int? area, string? severity, string? status,
        int? year, Guid? inspection, string? sort, int? page, int? pageSize, IQuerySession session, HttpContext context,
        Caller caller, DateOnly today, CancellationToken ct)
    {
        var (filter, problem) = Parse(town, unit, village, area, severity, status, year, inspection, sort);
        if (problem is not null) return problem;
        if (page is < 1) return ProblemAnswers.BadRequest("page starts at 1").ToResult();
        if (pageSize is < 1 or > 500) return ProblemAnswers.BadRequest("pageSize must be 1–500").ToResult();
        if (Table.WantsCsv(context)) return ToTable(await AllAsync(filter!, session, caller, today, ct)).ToCsv("cases.csv");
        var size = pageSize ?? 50;
        var number = page ?? 1;
        var query = await QueryAsync(filter!, session, caller, today, ct);
        var found = await query.Stats(out var stats).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var total = stats.TotalResults;
        if (found.Count == 0 && number > 1) total = await (await QueryAsync(filter!, session, caller, today, ct)).CountAsync(ct);
        return Results.Ok(new CasePage((int)total, number, size, found.Select(c => Item(c, today)).ToList()));
    }

    /// <summary>The same list, every matching case, as an Excel workbook.</summary>
    [WolverineGet("/api/cases/export.xlsx")]
    [Heavy(HeavyRoutes.Exports)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<FileContentResult>(200)]
    public static async Task<IResult> Export(string? town, string? unit, string? village, int? area, string? severity, string? status,
        int? year, Guid? inspection, string? sort, IQuerySession session, Caller caller, DateOnly today, CancellationToken ct)
    {
        var (filter, problem) = Parse(town, unit, village, area, severity, status, year, inspection, sort);
        if (problem is not null) return problem;
        var items = await AllAsync(filter!, session, caller, today, ct);
        return ToTable(items).ToXlsx("cases.xlsx");
    }
}
