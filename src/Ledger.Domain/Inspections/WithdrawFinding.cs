using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

/// <summary>撤回: a finding or funding check withdrawn, with the reason. It stays in the ledger, marked withdrawn.</summary>
public sealed record WithdrawFinding(long? ExpectedVersion, string? Reason) : IVersionedCommand
{
    /// <summary>The inspection's team or office withdraws an open record while the inspection is not closed.</summary>
    public Decision Decide(Case current, Inspection inspection, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanCorrect(caller, inspection))
            return Refusal.Forbidden("only the inspection's team or the inspection office withdraws its records");
        if (new Checks().Text(Reason, "reason (why it is withdrawn)", Checks.LongText).ToRefusal() is { } invalid)
            return invalid;
        if (current.Status == CaseStatus.Withdrawn) return Refusal.Conflict("the record is already withdrawn");
        if (inspection.Status == InspectionStatus.Closed) return Refusal.Conflict("the inspection is closed; its records are final");
        return Decision.Accept(new FindingWithdrawn(current.Id, current.InspectionId, current.Year, current.TownCode,
            current.UnitCode, current.VillageCode, Reason!.Trim(), today));
    }
}
