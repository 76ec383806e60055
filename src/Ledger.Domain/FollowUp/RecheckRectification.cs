using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;

namespace Ledger.Domain.FollowUp;

/// <summary>
/// 回头看: an office re-checks a closed (accepted, 销号) requirement once the county's number of days has
/// passed since it closed (<see cref="Rechecks"/>); a re-check before then is refused (409), so the list of
/// requirements due and the records agree. A requirement is re-checked once. When the problem is found back
/// (<c>ProblemBack</c>), it is reopened as a NEW problem: a new case of the same inspection, town or unit
/// and content area, linked both ways (<see cref="RectificationRechecked.RecurrenceCaseId"/>,
/// <see cref="ProblemRecurred.PreviousCaseId"/>), with a new requirement to the same responsible town or
/// unit, issued by the office on behalf of the leading group.
/// </summary>
public sealed record RecheckRectification(long? ExpectedVersion, DateOnly? RecheckedOn, bool? ProblemBack, string? Findings,
    string? Description, Severity? Severity, string? Action, DateOnly? Deadline) : IVersionedCommand
{
    public Decision Decide(Case current, Guid newCaseId, Caller caller, DateOnly today, int recheckDays)
    {
        if (!FollowUpRules.IsOffice(caller)) return Refusal.Forbidden("re-checks (回头看) are recorded by the offices");
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        var checks = new Checks();
        checks.Text(Findings, "findings (回头看情况)", Checks.LongText);
        checks.That(ProblemBack is not null, "problemBack is required (true: the problem is back)");
        var on = RecheckedOn ?? today;
        FollowUpRules.CheckDate(checks, on, "recheckedOn", today);
        if (ProblemBack == true)
        {
            checks.Text(Description, "description (the problem found back)", Checks.LongText);
            checks.Text(Action, "action (the new requirement)", Checks.LongText);
            checks.That(Deadline is not null, "deadline is required for the new requirement");
            checks.That(Deadline is null || Deadline > on, "deadline must be after recheckedOn");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage != RectificationStage.Closed) return Refusal.Conflict("only a closed (销号) requirement is re-checked (回头看)");
        if (current.RecheckedOn is { } before) return Refusal.Conflict($"the requirement was already re-checked on {before:yyyy-MM-dd}");
        var closedOn = requirement.PreviousStepOn;
        var due = Rechecks.DueOn(closedOn, recheckDays);
        if (on < due)
            return Refusal.Conflict($"a re-check (回头看) is due from {due:yyyy-MM-dd}, {recheckDays} days after the requirement closed (county setting)");

        var back = ProblemBack == true;
        var decision = Decision.Accept(new RectificationRechecked(current.Id, current.InspectionId, current.Year, current.TownCode,
            current.UnitCode, current.VillageCode, on, closedOn, back, Findings!.Trim(), back ? newCaseId : null, caller.User, caller.Role));
        if (!back) return decision;
        return decision.AlsoAppend(newCaseId, 0,
            new FindingRecorded(newCaseId, current.InspectionId, current.Year, current.TownCode, current.UnitCode, current.VillageCode,
                current.Area, current.Method, Description!.Trim(), Severity ?? current.Severity ?? Inspections.Severity.Minor, [], caller.User, on),
            new ProblemRecurred(newCaseId, current.InspectionId, current.Year, current.TownCode, current.UnitCode, current.VillageCode,
                current.Id, on),
            new RectificationRequired(newCaseId, current.InspectionId, current.Year, current.TownCode, current.UnitCode, current.VillageCode,
                requirement.ResponsibleTown, requirement.ResponsibleUnit, Action!.Trim(), Deadline!.Value, on, caller.User, caller.Role,
                Issuing.LeadingGroup));
    }
}

/// <summary>The county's days before 回头看, and what they mean.</summary>
public static class Rechecks
{
    /// <summary>Unless the county sets its own (<c>Ledger:RecheckDays</c>): three months.</summary>
    public const int DefaultDays = 90;

    /// <summary>The first day a requirement closed on that day may be re-checked.</summary>
    public static DateOnly DueOn(DateOnly closedOn, int days) => closedOn.AddDays(days);
}
