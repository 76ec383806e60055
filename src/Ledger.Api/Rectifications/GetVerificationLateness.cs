using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>A response the office has left unverified longer than the county allows: the requirement, when it was answered, how long it waits.</summary>
public sealed record VerificationLate(BoardEntry Requirement, DateOnly RespondedOn, int DaysWaiting);

/// <summary>The office's lateness list and the county setting it is measured against.</summary>
public sealed record VerificationLateness(DateOnly AsOf, int VerificationDays, IReadOnlyList<VerificationLate> Items);

public static class GetVerificationLateness
{
    /// <summary>
    /// 核实超时: the office's own lateness, measured apart from the towns' — responses awaiting verification
    /// for more than the county's <c>VerificationDays</c> (<see cref="Deadlines.VerificationLate"/>), longest waiting first.
    /// </summary>
    [WolverineGet("/api/rectifications/verification-lateness")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<VerificationLateness>(200)]
    public static async Task<VerificationLateness> Get(int? year, IQuerySession session, Caller caller, CountyRules rules, DateOnly today,
        CancellationToken ct)
    {
        var days = rules.Rectification(caller.County).VerificationDays;
        var query = session.Query<CaseView>().Where(c => c.Rectification != null && c.Rectification.Stage == RectificationStage.Responded);
        if (year is not null) query = query.Where(c => c.Year == year);
        var waiting = await query.ToListAsync(ct);
        var items = waiting
            .Where(c => Deadlines.VerificationLate(c.Rectification!.Stage, c.Rectification.LastRespondedOn, days, today))
            .Select(c => new VerificationLate(BoardEntry.Of(c, today, rules.AcknowledgementDays(caller.County)), c.Rectification!.LastRespondedOn!.Value,
                today.DayNumber - c.Rectification.LastRespondedOn.Value.DayNumber))
            .OrderByDescending(i => i.DaysWaiting).ThenBy(i => i.Requirement.CaseId)
            .ToList();
        return new VerificationLateness(today, days, items);
    }
}
