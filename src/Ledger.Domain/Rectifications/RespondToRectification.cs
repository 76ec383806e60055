using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>反馈整改情况: what was done, with evidence.</summary>
public sealed record RespondToRectification(long? ExpectedVersion, string? Description, IReadOnlyList<Evidence>? Evidence, DateOnly? RespondedOn)
    : IVersionedCommand
{
    /// <summary>The responsible town or unit (or the poverty office on its behalf) answers a requirement awaiting a response.</summary>
    public Decision Decide(Case current, Caller caller, DateOnly today)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        if (!RectificationRules.MayAnswerFor(caller, requirement))
            return Refusal.Forbidden($"only {requirement.Responsible} (or the poverty office on its behalf) responds to this requirement");
        var checks = new Checks();
        checks.Text(Description, "description (what was done)", Checks.LongText);
        Targets.CheckEvidence(checks, Evidence);
        var respondedOn = RespondedOn ?? today;
        checks.That(respondedOn <= today, "respondedOn is in the future");
        checks.That(respondedOn >= requirement.NotifiedOn, "respondedOn is before the requirement was notified");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.Stage == RectificationStage.Responded) return Refusal.Conflict("the last response is still being verified");
        return Decision.Accept(new RectificationResponded(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, Description!.Trim(), Targets.Evidence(Evidence), caller.User, caller.Role == Roles.PovertyOffice, respondedOn));
    }
}
