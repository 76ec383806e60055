using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>反馈整改情况: what was done, with evidence.</summary>
public sealed record RespondToRectification(long? ExpectedVersion, string? Description, IReadOnlyList<Evidence>? Evidence, DateOnly? RespondedOn)
    : IVersionedCommand
{
    /// <summary>The responsible town or unit (or the poverty office on its behalf) answers a requirement awaiting a response.</summary>
    /// <para>A back-dated <c>respondedOn</c> goes back at most the county's number of days and never before the last step.</para>
    public Decision Decide(Case current, Caller caller, DateOnly today, RectificationSettings? settings = null)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        if (!RectificationRules.MayAnswerFor(caller, requirement))
            return Refusal.Forbidden($"only {requirement.Responsible} (or the poverty office on its behalf) responds to this requirement");
        var checks = new Checks();
        checks.Text(Description, "description (what was done)", Checks.LongText);
        Targets.CheckEvidence(checks, Evidence);
        var respondedOn = RespondedOn ?? today;
        (settings ?? RectificationSettings.Default).CheckDate(checks, respondedOn, "respondedOn", today, requirement.PreviousStepOn,
            requirement.LastStepOn is null || requirement.LastStepOn == requirement.NotifiedOn ? "the requirement was notified" : "the last step");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.Stage == RectificationStage.Responded) return Refusal.Conflict("the last response is still being verified");
        return Decision.Accept(new RectificationResponded(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, Description!.Trim(), Targets.Evidence(Evidence), caller.User, caller.Role == Roles.PovertyOffice, respondedOn));
    }
}
