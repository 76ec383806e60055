using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>申请延期: a later deadline and the reason.</summary>
public sealed record RequestExtension(long? ExpectedVersion, DateOnly? RequestedDeadline, string? Reason) : IVersionedCommand
{
    public Decision Decide(Case current, Caller caller, DateOnly today)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        if (!RectificationRules.MayAnswerFor(caller, requirement))
            return Refusal.Forbidden($"only {requirement.Responsible} (or the poverty office on its behalf) asks for an extension");
        var checks = new Checks().Text(Reason, "reason", Checks.LongText);
        checks.That(RequestedDeadline is not null, "requestedDeadline is required");
        checks.That(RequestedDeadline is null || RequestedDeadline > requirement.Deadline,
            $"requestedDeadline must be after the current deadline {requirement.Deadline:yyyy-MM-dd}");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.PendingExtension is not null) return Refusal.Conflict("an extension request is already waiting for a decision");
        return Decision.Accept(new RectificationExtensionRequested(current.Id, current.InspectionId, current.Year, current.TownCode,
            current.UnitCode, current.VillageCode, RequestedDeadline!.Value, Reason!.Trim(), caller.User, today, today > requirement.Deadline));
    }
}

/// <summary>The office's decision on the pending extension request.</summary>
public sealed record DecideExtension(long? ExpectedVersion, bool? Granted, string? Reason) : IVersionedCommand
{
    /// <summary>Grants or denies the pending request, always with a reason, never by whoever asked for it.</summary>
    public Decision Decide(Case current, Caller caller, DateOnly today)
    {
        if (current.Rectification is not { } requirement) return RectificationRules.NoRequirement(current);
        var checks = new Checks();
        checks.That(Granted is not null, "granted (true or false) is required");
        checks.Text(Reason, "reason (a grant or a refusal needs one)", Checks.LongText);
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.PendingExtension is not { } pending) return Refusal.Conflict("no extension has been asked for");
        if (requirement.PendingRequestedBy == caller.User)
            return Refusal.Forbidden("whoever asked for the extension cannot decide it (separation of duties)");
        return Granted == true
            ? Decision.Accept(new RectificationExtensionGranted(current.Id, current.InspectionId, current.Year, current.TownCode,
                current.UnitCode, current.VillageCode, requirement.Deadline, pending, Reason!.Trim(), today,
                requirement.PendingAfterDeadline, caller.User))
            : Decision.Accept(new RectificationExtensionDenied(current.Id, current.InspectionId, current.Year, current.TownCode,
                current.UnitCode, current.VillageCode, Reason!.Trim(), today));
    }
}
