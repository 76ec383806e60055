using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Identification;

/// <summary>A village's registry entry as a village decision reads it: its stream, its status, the version read.</summary>
public sealed record VillageRead(Guid StreamId, VillageStatus Status, long Version);

/// <summary>
/// 记录程序步骤: one step as it really happened. A democratic review gives attendance (attended of
/// eligible representatives); a notice its end date (and start, if not the step's date) and any
/// objections. Steps that break the procedure are recorded and flagged, never refused.
/// </summary>
public sealed record RecordDecisionStep(
    long? ExpectedVersion, DecisionStep? Step, DateOnly? Date, int? Attended, int? Eligible,
    DateOnly? NoticeStart, DateOnly? NoticeEnd, int? Objections, string? Note, IReadOnlyList<Evidence>? Evidence) : IVersionedCommand
{
    /// <summary>
    /// Records the step. When it completes a village decision, the village's registry status changes
    /// with it (the only way it changes): <paramref name="village"/> is the village's entry as read,
    /// needed for a village decision.
    /// </summary>
    public Decision Decide(IdentificationDecision current, VillageRead? village, Caller caller, DateOnly today)
    {
        if (caller.Role == Roles.Respondent && !AccessRules.Covers(caller, current.TownCode, null))
            return Refusal.Forbidden("a town records steps of its own decisions only");

        var checks = new Checks();
        var procedure = Procedures.For(current.Subject, current.Kind);
        checks.That(Step is not null, $"step is required: one of {string.Join(", ", procedure.Select(s => $"{Codes.CodeOf(s)} ({Codes.LabelOf(s)})"))}");
        if (Step is { } wanted)
            checks.That(procedure.Contains(wanted),
                $"{Codes.CodeOf(wanted)} is not a step of a {current.SubjectLabel}{current.KindLabel}: {string.Join(" → ", procedure.Select(Codes.LabelOf))}");
        checks.That(Date is not null, "date (when the step happened) is required");
        checks.That(Date is null || Date <= today, "date is in the future");
        checks.That(Date is null || Math.Abs(Date.Value.Year - current.Year) <= 1,
            $"date must lie within a year of the decision's year {current.Year}");
        if (Step == DecisionStep.DemocraticReview)
            checks.That(Eligible is >= 1 && Attended is >= 0 && Attended <= Eligible,
                "a democratic review (民主评议) records attended and eligible representatives (0 ≤ attended ≤ eligible)");
        else
            checks.That(Attended is null && Eligible is null, "attendance belongs to a democratic review");
        if (Step is { } s && Procedures.IsNotice(s))
        {
            var start = NoticeStart ?? Date;
            checks.That(NoticeEnd is not null, "a notice (公示) records its end date (noticeEnd)");
            checks.That(NoticeEnd is null || start is null || NoticeEnd >= start, "noticeEnd is before the notice started");
            checks.That(Objections is null or >= 0, "objections cannot be negative");
        }
        else
            checks.That(NoticeStart is null && NoticeEnd is null && Objections is null,
                "notice dates and objections belong to a notice (公示)");
        checks.Text(Note, "note", Checks.LongText, required: false);
        Targets.CheckEvidence(checks, Evidence);
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (current.State == DecisionState.Completed) return Refusal.Conflict("the decision is complete: no further steps");
        if (current.Steps.Any(r => r.Step == Step))
            return Refusal.Conflict($"step {Codes.LabelOf(Step!.Value)} is already recorded");

        var notice = Procedures.IsNotice(Step!.Value);
        var step = new DecisionStepRecorded(current.Id, current.Subject, current.Kind, current.Year, current.TownCode,
            current.VillageCode, current.HouseholdId, Step.Value, Date!.Value, Attended, Eligible,
            notice ? NoticeStart ?? Date : null, notice ? NoticeEnd : null, notice ? Objections ?? 0 : null,
            Note?.Trim(), Targets.Evidence(Evidence), caller.User);
        var recorded = Decision.Accept(step);

        var after = current.Apply(step);
        if (after.State != DecisionState.Completed || after.Subject != DecisionSubject.Village) return recorded;
        // A village's registry status changes only through a completed village decision.
        if (village is null) return Refusal.Conflict($"village {current.VillageCode} is not in the registry: its status cannot change");
        return recorded.AlsoAppend(village.StreamId, village.Version, new VillageStatusChanged(village.StreamId, after.TownCode, after.VillageCode,
            village.Status, after.Kind == DecisionKind.Entry ? VillageStatus.RelativelyPoor : VillageStatus.NonPoor, step.Date,
            $"{after.KindLabel}决定 {after.Id}（县审批公告 {after.Steps.FirstOrDefault(s => s.Step == DecisionStep.CountyApproval)?.Date:yyyy-MM-dd}）"));
    }
}
