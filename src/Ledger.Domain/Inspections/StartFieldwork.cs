using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

/// <summary>开始实地督查: from now on the team records findings and funding checks.</summary>
public sealed record StartFieldwork(long? ExpectedVersion, DateOnly? StartedOn) : IVersionedCommand
{
    /// <summary>The team leader (or the inspection office) starts the field work of a formed team, within the inspection's year.</summary>
    public Decision Decide(Inspection inspection, Caller caller, DateOnly today)
    {
        if (caller.Role == Roles.Inspector && !inspection.IsLeader(caller.User))
            return Refusal.Forbidden("only the team leader (组长) or the inspection office starts the field work");
        var startedOn = StartedOn ?? today;
        if (startedOn > today) return Refusal.Invalid(["startedOn is in the future"]);
        if (startedOn.Year != inspection.Year) return Refusal.Invalid([$"startedOn must fall in the inspection's year {inspection.Year}"]);
        if (inspection.Status != InspectionStatus.TeamFormed)
            return Refusal.Conflict(inspection.Status == InspectionStatus.Planned
                ? "the team has not been formed yet"
                : $"the inspection is already {Codes.LabelOf(inspection.Status)}");
        return Decision.Accept(new InspectionFieldworkStarted(inspection.Id, inspection.Year, inspection.Kind, inspection.TownCodes,
            inspection.UnitCodes, startedOn));
    }
}
