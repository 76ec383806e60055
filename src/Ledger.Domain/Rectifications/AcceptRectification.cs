using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>验收: the office accepts the response and closes the requirement (销号).</summary>
public sealed record AcceptRectification(long? ExpectedVersion, string? Note, DateOnly? AcceptedOn) : IVersionedCommand
{
    /// <summary>
    /// Accepts the response awaiting verification. Whoever responded (on the town's behalf) cannot accept
    /// it; the acceptance date may go back at most the county's number of days and never before the
    /// response. Timeliness is judged by the response's date against the deadline that counts.
    /// </summary>
    public Decision Decide(Case current, Caller caller, DateOnly today, RectificationSettings? settings = null)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        var checks = new Checks().Text(Note, "note", Checks.LongText, required: false);
        var acceptedOn = AcceptedOn ?? today;
        (settings ?? RectificationSettings.Default).CheckDate(checks, acceptedOn, "acceptedOn", today, requirement.LastRespondedOn, "the response");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is already closed");
        if (requirement.Stage != RectificationStage.Responded)
            return Refusal.Conflict("nothing to accept: there is no response awaiting verification");
        if (requirement.LastRespondedBy == caller.User)
            return Refusal.Forbidden("whoever responded on the town's behalf cannot accept that response (separation of duties)");
        var respondedOn = requirement.LastRespondedOn!.Value;
        return Decision.Accept(new RectificationAccepted(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, Note?.Trim(), acceptedOn, requirement.CountingDeadline, respondedOn > requirement.CountingDeadline,
            respondedOn, caller.User));
    }
}

/// <summary>退回: the office sends the response back with the reason; the requirement is open again.</summary>
public sealed record ReturnRectification(long? ExpectedVersion, string? Reason) : IVersionedCommand
{
    public Decision Decide(Case current, DateOnly today)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        if (new Checks().Text(Reason, "reason (why it is sent back)", Checks.LongText).ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.Stage != RectificationStage.Responded)
            return Refusal.Conflict("nothing to send back: there is no response awaiting verification");
        return Decision.Accept(new RectificationReturned(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, Reason!.Trim(), today));
    }
}
