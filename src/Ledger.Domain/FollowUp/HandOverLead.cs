using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.FollowUp;

/// <summary>Who receives problem leads (线索移交).</summary>
public static class Leads
{
    /// <summary>县纪委监委.</summary>
    public const string DisciplineOffice = "县纪委监委";
}

/// <summary>
/// 线索移交: an office hands a case's problem to the discipline inspection office. One lead per case at a
/// time: a case whose lead has no outcome yet cannot be handed over again.
/// </summary>
public sealed record HandOverLead(long? ExpectedVersion, string? Summary, DateOnly? HandedOverOn) : IVersionedCommand
{
    public Decision Decide(Case current, Caller caller, DateOnly today)
    {
        if (!FollowUpRules.IsOffice(caller)) return Refusal.Forbidden("leads are handed over (线索移交) by the offices");
        var checks = new Checks();
        checks.Text(Summary, "summary (移交线索摘要)", Checks.LongText);
        var on = HandedOverOn ?? today;
        FollowUpRules.CheckDate(checks, on, "handedOverOn", today);
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (current.Status == CaseStatus.Withdrawn) return Refusal.Conflict("the finding was withdrawn");
        if (current.Lead is { DecidedOn: null } open)
            return Refusal.Conflict($"a lead of this case was handed over on {open.HandedOverOn:yyyy-MM-dd} and has no outcome yet");
        return Decision.Accept(new LeadHandedOver(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, Leads.DisciplineOffice, Summary!.Trim(), on, caller.User, caller.Role));
    }
}

/// <summary>线索移交回执: a reviewer (纪检监察) records that the discipline inspection office received the lead.</summary>
public sealed record RecordLeadReceipt(long? ExpectedVersion, string? ReceivedBy, DateOnly? ReceivedOn) : IVersionedCommand
{
    public Decision Decide(Case current, Caller caller, DateOnly today)
    {
        if (caller.Role != Roles.Reviewer) return Refusal.Forbidden("the receipt of a lead is recorded by the reviewer (纪检监察)");
        if (current.Lead is not { } lead) return Refusal.Conflict("no lead of this case has been handed over");
        var checks = new Checks();
        checks.Text(ReceivedBy, "receivedBy (签收人)", 100);
        var on = ReceivedOn ?? today;
        FollowUpRules.CheckDate(checks, on, "receivedOn", today, lead.HandedOverOn, "the hand-over");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (lead.DecidedOn is not null || lead.ReceivedOn is not null)
            return Refusal.Conflict($"the lead's receipt is already recorded ({lead.ReceivedOn:yyyy-MM-dd})");
        return Decision.Accept(new LeadReceiptRecorded(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, ReceivedBy!.Trim(), on, caller.User));
    }
}

/// <summary>线索处置结果: a reviewer records what became of a received lead; the hand-over is then closed.</summary>
public sealed record RecordLeadOutcome(long? ExpectedVersion, string? Outcome, DateOnly? DecidedOn) : IVersionedCommand
{
    public Decision Decide(Case current, Caller caller, DateOnly today)
    {
        if (caller.Role != Roles.Reviewer) return Refusal.Forbidden("the outcome of a lead is recorded by the reviewer (纪检监察)");
        if (current.Lead is not { } lead) return Refusal.Conflict("no lead of this case has been handed over");
        var checks = new Checks();
        checks.Text(Outcome, "outcome (处置结果)", Checks.LongText);
        var on = DecidedOn ?? today;
        FollowUpRules.CheckDate(checks, on, "decidedOn", today, lead.ReceivedOn, "the receipt");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (lead.DecidedOn is { } decided) return Refusal.Conflict($"the lead's outcome is already recorded ({decided:yyyy-MM-dd})");
        if (lead.ReceivedOn is null) return Refusal.Conflict("the lead's receipt is not recorded yet");
        return Decision.Accept(new LeadOutcomeRecorded(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, Outcome!.Trim(), on, caller.User));
    }
}
