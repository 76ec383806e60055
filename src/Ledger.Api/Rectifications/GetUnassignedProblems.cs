using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>An open problem of a reported inspection given neither a requirement nor a reason for none (未交办问题).</summary>
public sealed record UnassignedProblem(Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string AreaLabel, string? SeverityLabel, string Description, DateOnly RecordedOn, InspectionStatus InspectionStatus, string InspectionStatusLabel);

public static class GetUnassignedProblems
{
    /// <summary>
    /// 未交办问题: the problems of inspections past their report (results notified or still to be) that
    /// no notification has given a requirement or a reason for none, oldest first.
    /// </summary>
    [WolverineGet("/api/problems/unassigned")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<IReadOnlyList<UnassignedProblem>>(200)]
    public static async Task<IReadOnlyList<UnassignedProblem>> List(int? year, IQuerySession session, CancellationToken ct)
    {
        var inspections = session.Query<InspectionView>()
            .Where(i => i.Status == InspectionStatus.ReportSubmitted || i.Status == InspectionStatus.Closed);
        if (year is not null) inspections = inspections.Where(i => i.Year == year);
        var reported = (await inspections.ToListAsync(ct)).ToDictionary(i => i.Id);
        if (reported.Count == 0) return [];
        var ids = reported.Keys.ToArray();
        var cases = await session.Query<CaseView>()
            .Where(c => c.InspectionId.IsOneOf(ids) && c.Rectification == null && c.NotRequiredReason == null && c.Status == CaseStatus.Open)
            .OrderBy(c => c.RecordedOn).ThenBy(c => c.Id).ToListAsync(ct);
        return cases.Where(c => c.IsProblem).Select(c =>
        {
            var status = reported[c.InspectionId].Status;
            return new UnassignedProblem(c.Id, c.InspectionId, c.Year, c.TownCode, c.UnitCode, c.VillageCode, c.AreaLabel, c.SeverityLabel,
                c.Description, c.RecordedOn, status, Codes.LabelOf(status));
        }).ToList();
    }
}
