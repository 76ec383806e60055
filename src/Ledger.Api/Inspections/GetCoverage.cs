using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Inspections;
using Ledger.Projections.Inspections;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>A comprehensive inspection that covers a town or unit in the year.</summary>
public sealed record CoveringInspection(Guid Id, DateOnly PlannedStart, DateOnly PlannedEnd, InspectionStatus Status, string StatusLabel);

/// <summary>One town or unit: covered once field work of a comprehensive inspection has begun; planned when only planned.</summary>
public sealed record CoverageEntry(string Code, string Name, bool Covered, bool Planned, IReadOnlyList<CoveringInspection> Inspections);

/// <summary>Art. 8: every town and unit gets a comprehensive inspection at least once a year.</summary>
public sealed record Coverage(
    int Year, IReadOnlyList<CoverageEntry> Towns, IReadOnlyList<CoverageEntry> Units,
    IReadOnlyList<string> TownsNotCovered, IReadOnlyList<string> UnitsNotCovered);

public static class GetCoverage
{
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
                .Select(i => new CoveringInspection(i.Id, i.PlannedStart, i.PlannedEnd, i.Status, i.StatusLabel)).ToList();
            var covered = covering.Any(i => i.Status >= InspectionStatus.InField);
            return new CoverageEntry(code, name, covered, !covered && covering.Count > 0, covering);
        }

        var townEntries = towns.Select(t => Entry(t.Code, t.Name, i => i.TownCodes.Contains(t.Code))).ToList();
        var unitEntries = units.Select(u => Entry(u.Code, u.Name, i => i.UnitCodes.Contains(u.Code))).ToList();
        return new Coverage(year, townEntries, unitEntries,
            townEntries.Where(e => !e.Covered).Select(e => e.Code).ToList(),
            unitEntries.Where(e => !e.Covered).Select(e => e.Code).ToList());
    }
}
