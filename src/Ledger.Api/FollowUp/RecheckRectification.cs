using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.FollowUp;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.FollowUp;

/// <summary>The answer to a 回头看: the case's new version, and the new case when the problem was found back.</summary>
public sealed record RecheckAnswer(Guid Id, long Version, Guid? RecurrenceCaseId);

public static class RecheckRectificationEndpoint
{
    /// <summary>回头看: an office re-checks a closed requirement; a problem found back is reopened as a new, linked case.</summary>
    [WolverinePost("/api/rectifications/{id}/recheck")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<RecheckAnswer>(200)]
    public static Task<IResult> Post(Guid id, RecheckRectification command, Write write, CountyRules rules)
    {
        var newCaseId = write.NewId();
        return write.ToExisting<Case>(id, command, "case",
            current => command.Decide(current, newCaseId, write.Caller, write.Today, rules.RecheckDays(write.County)),
            (_, decision, version) => new RecheckAnswer(id, version, decision.OtherStreams.Count > 0 ? newCaseId : null));
    }
}

/// <summary>A closed requirement due for 回头看: its case, where, when it closed and from when it is due.</summary>
public sealed record RecheckDue(Guid CaseId, int Year, string? TownCode, string? UnitCode, string Responsible, string Description,
    DateOnly ClosedOn, DateOnly DueOn);

public static class GetDueForRecheck
{
    /// <summary>
    /// 待回头看: closed (销号) requirements not yet re-checked whose county's days since closing have passed,
    /// the longest waiting first; for the offices and reviewers.
    /// </summary>
    [WolverineGet("/api/rectifications/due-for-recheck")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<IReadOnlyList<RecheckDue>>(200)]
    public static async Task<IReadOnlyList<RecheckDue>> List(int? year, IQuerySession session, DateOnly today, CountyRules rules,
        CancellationToken ct)
    {
        var days = rules.RecheckDays(session.TenantId);
        var closedBy = today.AddDays(-days);
        var query = session.Query<CaseView>().Where(c => c.Rectification != null && c.Rectification.Stage == RectificationStage.Closed
            && c.Rectification.ClosedOn <= closedBy && c.Recheck == null && c.Status == CaseStatus.Open);
        if (year is not null) query = query.Where(c => c.Year == year);
        var cases = await query.OrderBy(c => c.Rectification!.ClosedOn).ThenBy(c => c.Id).ToListAsync(ct);
        return cases.Select(c => new RecheckDue(c.Id, c.Year, c.TownCode, c.UnitCode, c.Rectification!.Responsible, c.Description,
            c.Rectification.ClosedOn!.Value, Rechecks.DueOn(c.Rectification.ClosedOn.Value, days))).ToList();
    }
}
