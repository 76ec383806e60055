using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Inspections;
using Ledger.Projections.Inspections;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>
/// A comprehensive inspection of a town or unit in the year; it counts for coverage only when it
/// examines all eight content areas (<c>ExaminesAllAreas</c>: it names none, or all eight).
/// </summary>
public sealed record CoveringInspection(Guid Id, DateOnly PlannedStart, DateOnly PlannedEnd, InspectionStatus Status, string StatusLabel,
    bool ExaminesAllAreas);

/// <summary>
/// One town or unit: covered (Art. 8) once a comprehensive inspection examining all eight areas has
/// submitted its report; <c>Planned</c> when one is planned or under way but not yet reported.
/// </summary>
public sealed record CoverageEntry(string Code, string Name, bool Covered, bool Planned, IReadOnlyList<CoveringInspection> Inspections);

/// <summary>Art. 8: every town and unit gets a comprehensive inspection at least once a year.</summary>
public sealed record Coverage(
    int Year, IReadOnlyList<CoverageEntry> Towns, IReadOnlyList<CoverageEntry> Units,
    IReadOnlyList<string> TownsNotCovered, IReadOnlyList<string> UnitsNotCovered);

public static class GetCoverage
{
    /// <summary>A comprehensive inspection naming no areas examines all eight; one naming some examines all only if it names all eight.</summary>
    public static bool ExaminesAllAreas(IReadOnlyList<ContentArea> areas) =>
        areas.Count == 0 || Enum.GetValues<ContentArea>().All(areas.Contains);

    [WolverineGet("/api/coverage/{year}")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<Coverage> Get(int year, IQuerySession session, CancellationToken ct)
    {
        var inspections = await session.Query<InspectionView>()
            .Where(i => i.Year == year && i.Kind == InspectionKind.Comprehensive).ToListAsync(ct);
        var towns = await session.Query<TownView>().OrderBy(t => t.Code).ToListAsync(ct);
        var units = await session.Query<UnitView>().OrderBy(u => u.Code).ToListAsync(ct);

        CoverageEntry Entry(string code, string name, Func<InspectionView, bool> covers)
        {
            var covering = inspections.Where(covers).OrderBy(i => i.PlannedStart)
                .Select(i => new CoveringInspection(i.Id, i.PlannedStart, i.PlannedEnd, i.Status, i.StatusLabel, ExaminesAllAreas(i.ContentAreas)))
                .ToList();
            var counting = covering.Where(i => i.ExaminesAllAreas).ToList();
            var covered = counting.Any(i => i.Status >= InspectionStatus.ReportSubmitted);
            return new CoverageEntry(code, name, covered, !covered && counting.Count > 0, covering);
        }

        var townEntries = towns.Select(t => Entry(t.Code, t.Name, i => i.TownCodes.Contains(t.Code))).ToList();
        var unitEntries = units.Select(u => Entry(u.Code, u.Name, i => i.UnitCodes.Contains(u.Code))).ToList();
        return new Coverage(year, townEntries, unitEntries,
            townEntries.Where(e => !e.Covered).Select(e => e.Code).ToList(),
            unitEntries.Where(e => !e.Covered).Select(e => e.Code).ToList());
    }
}
