using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.FollowUp;
using Ledger.Domain.Inspections;
using Ledger.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.FollowUp;

public static class HandOverLeadEndpoint
{
    /// <summary>线索移交: an office hands the case's problem to the discipline inspection office (县纪委监委).</summary>
    [WolverinePost("/api/cases/{id}/lead-handover")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, HandOverLead command, Write write) =>
        write.ToExisting<Case>(id, command, "case", current => command.Decide(current, write.Caller, write.Today));
}

public static class RecordLeadReceiptEndpoint
{
    /// <summary>线索移交回执: the reviewer (纪检监察) records that the lead was received.</summary>
    [WolverinePost("/api/cases/{id}/lead-receipt")]
    [Authorize(Roles = Roles.Reviewer)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, RecordLeadReceipt command, Write write) =>
        write.ToExisting<Case>(id, command, "case", current => command.Decide(current, write.Caller, write.Today));
}

public static class RecordLeadOutcomeEndpoint
{
    /// <summary>线索处置结果: the reviewer records what became of a received lead.</summary>
    [WolverinePost("/api/cases/{id}/lead-outcome")]
    [Authorize(Roles = Roles.Reviewer)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, RecordLeadOutcome command, Write write) =>
        write.ToExisting<Case>(id, command, "case", current => command.Decide(current, write.Caller, write.Today));
}

/// <summary>A lead handed over and not yet disposed of, with its case.</summary>
public sealed record OpenLead(Guid CaseId, int Year, string? TownCode, string? UnitCode, string Description, LeadView Lead);

public static class GetOpenLeads
{
    /// <summary>Open hand-overs (线索移交): leads with no outcome yet, oldest first; for the offices and reviewers.</summary>
    [WolverineGet("/api/lead-handovers")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<IReadOnlyList<OpenLead>>(200)]
    public static async Task<IReadOnlyList<OpenLead>> List(int? year, IQuerySession session, CancellationToken ct)
    {
        var query = session.Query<CaseView>().Where(c => c.Lead != null && c.Lead.DecidedOn == null);
        if (year is not null) query = query.Where(c => c.Year == year);
        var cases = await query.OrderBy(c => c.Lead!.HandedOverOn).ThenBy(c => c.Id).ToListAsync(ct);
        return cases.Select(c => new OpenLead(c.Id, c.Year, c.TownCode, c.UnitCode, c.Description, c.Lead!)).ToList();
    }
}
