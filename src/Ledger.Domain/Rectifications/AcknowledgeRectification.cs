using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>
/// 签收: the responsible town or unit acknowledges the requirement it was given (交办), naming its
/// 整改责任人 (name and post) and the 整改措施 it commits to. Within the county's number of days
/// after the notification (<see cref="Acknowledgements.DueBy"/>); a later one is recorded as late.
/// </summary>
public sealed record AcknowledgeRectification(long? ExpectedVersion, string? ResponsiblePerson, string? ResponsiblePost, string? Measures,
    DateOnly? AcknowledgedOn) : IVersionedCommand
{
    public const int NameText = 100;

    /// <summary>Only a respondent of the responsible town or unit signs for it (the office does not sign on its behalf).</summary>
    public Decision Decide(Case current, Caller caller, DateOnly today, int acknowledgementDays)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        if (caller.Role != Roles.Respondent || !AccessRules.AnswersForRequirement(caller, requirement.ResponsibleTown, requirement.ResponsibleUnit))
            return Refusal.Forbidden($"only {requirement.Responsible} signs for (签收) this requirement");
        var checks = new Checks();
        checks.Text(ResponsiblePerson, "responsiblePerson (整改责任人)", NameText);
        checks.Text(ResponsiblePost, "responsiblePost (the responsible person's post)", NameText);
        checks.Text(Measures, "measures (整改措施)", Checks.LongText);
        var acknowledgedOn = AcknowledgedOn ?? today;
        checks.That(acknowledgedOn <= today, "acknowledgedOn is in the future");
        checks.That(acknowledgedOn >= requirement.NotifiedOn, "acknowledgedOn is before the requirement was notified");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.AcknowledgedOn is { } before) return Refusal.Conflict($"the requirement was already acknowledged on {before:yyyy-MM-dd}");
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        var dueBy = Acknowledgements.DueBy(requirement.NotifiedOn, acknowledgementDays);
        return Decision.Accept(new RectificationAcknowledged(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, ResponsiblePerson!.Trim(), ResponsiblePost!.Trim(), Measures!.Trim(), caller.User, acknowledgedOn, dueBy,
            acknowledgedOn > dueBy));
    }
}

/// <summary>The county's days for 签收, and what they mean on a day.</summary>
public static class Acknowledgements
{
    /// <summary>Unless the county sets its own (<c>Ledger:AcknowledgementDays</c>).</summary>
    public const int DefaultDays = 3;

    /// <summary>The last day to acknowledge a requirement notified on that day.</summary>
    public static DateOnly DueBy(DateOnly notifiedOn, int days) => notifiedOn.AddDays(days);

    /// <summary>Not acknowledged, not closed, and past the last day for it.</summary>
    public static bool IsLate(DateOnly notifiedOn, int days, DateOnly today) => today > DueBy(notifiedOn, days);
}
