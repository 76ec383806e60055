using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Inspections;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>
/// 记录程序步骤: one step as it really happened. A democratic review gives attendance (attended of
/// eligible representatives); a notice its end date (and start, if not the step's date) and any
/// objections. Steps that break the procedure are recorded and flagged, never refused.
/// </summary>
public sealed record RecordDecisionStep(
    long? ExpectedVersion, DecisionStep? Step, DateOnly? Date, int? Attended, int? Eligible,
    DateOnly? NoticeStart, DateOnly? NoticeEnd, int? Objections, string? Note, IReadOnlyList<Evidence>? Evidence);

/// <summary>The decision after the step: its state and every problem the ledger sees.</summary>
public sealed record DecisionStepAnswer(Guid Id, long Version, DecisionState State, string StateLabel, IReadOnlyList<DecisionProblem> Problems);

public static class RecordDecisionStepEndpoint
{
    [WolverinePost("/api/decisions/{id}/steps")]
    [Authorize(Roles = $"{Roles.PovertyOffice},{Roles.Respondent}")]
    [ProducesResponseType<DecisionStepAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(Guid id, RecordDecisionStep command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
    {
        var (stream, refused) = await ExistingStream.OpenAsync<IdentificationDecision>(session, id, command.ExpectedVersion, context, "decision", ct);
        if (stream is null) return refused!;
        var current = stream.Aggregate!;
        var decision = Decide(command, current, CallerClaims.From(context.User), ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);

        var step = (DecisionStepRecorded)decision.Events[0];
        var after = current.Apply(step);
        if (after.State == DecisionState.Completed && after.Subject == DecisionSubject.Village)
        {
            // A village's registry status changes only through a completed village decision.
            var villageId = RegistryIds.Village(session.TenantId, after.VillageCode);
            var village = await session.LoadAsync<VillageView>(villageId, ct);
            session.Events.Append(villageId, village!.Version + 1, new VillageStatusChanged(villageId, after.TownCode, after.VillageCode,
                village.Status, after.Kind == DecisionKind.Entry ? VillageStatus.RelativelyPoor : VillageStatus.NonPoor, step.Date,
                $"{after.KindLabel}决定 {after.Id}（县审批公告 {after.Steps.FirstOrDefault(s => s.Step == DecisionStep.CountyApproval)?.Date:yyyy-MM-dd}）"));
        }
        return Results.Ok(new DecisionStepAnswer(id, ExistingStream.VersionOf(stream) + 1, after.State, after.StateLabel, after.Problems));
    }

    public static Decision Decide(RecordDecisionStep command, IdentificationDecision current, Caller caller, DateOnly today)
    {
        if (caller.Role == Roles.Respondent && caller.Scope != current.TownCode)
            return Refusal.Forbidden("a town records steps of its own decisions only");

        var checks = new Checks();
        var procedure = Procedures.For(current.Subject, current.Kind);
        checks.That(command.Step is not null, $"step is required: one of {string.Join(", ", procedure.Select(s => $"{Codes.CodeOf(s)} ({Codes.LabelOf(s)})"))}");
        if (command.Step is { } wanted)
            checks.That(procedure.Contains(wanted),
                $"{Codes.CodeOf(wanted)} is not a step of a {current.SubjectLabel}{current.KindLabel}: {string.Join(" → ", procedure.Select(Codes.LabelOf))}");
        checks.That(command.Date is not null, "date (when the step happened) is required");
        checks.That(command.Date is null || command.Date <= today, "date is in the future");
        checks.That(command.Date is null || Math.Abs(command.Date.Value.Year - current.Year) <= 1,
            $"date must lie within a year of the decision's year {current.Year}");
        if (command.Step == DecisionStep.DemocraticReview)
            checks.That(command.Eligible is >= 1 && command.Attended is >= 0 && command.Attended <= command.Eligible,
                "a democratic review (民主评议) records attended and eligible representatives (0 ≤ attended ≤ eligible)");
        else
            checks.That(command.Attended is null && command.Eligible is null, "attendance belongs to a democratic review");
        if (command.Step is { } s && Procedures.IsNotice(s))
        {
            var start = command.NoticeStart ?? command.Date;
            checks.That(command.NoticeEnd is not null, "a notice (公示) records its end date (noticeEnd)");
            checks.That(command.NoticeEnd is null || start is null || command.NoticeEnd >= start, "noticeEnd is before the notice started");
            checks.That(command.Objections is null or >= 0, "objections cannot be negative");
        }
        else
            checks.That(command.NoticeStart is null && command.NoticeEnd is null && command.Objections is null,
                "notice dates and objections belong to a notice (公示)");
        checks.Text(command.Note, "note", Checks.LongText, required: false);
        Targets.CheckEvidence(checks, command.Evidence);
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (current.State == DecisionState.Completed) return Refusal.Conflict("the decision is complete: no further steps");
        if (current.Steps.Any(r => r.Step == command.Step))
            return Refusal.Conflict($"step {Codes.LabelOf(command.Step!.Value)} is already recorded");

        var notice = Procedures.IsNotice(command.Step!.Value);
        return Decision.Accept(new DecisionStepRecorded(current.Id, current.Subject, current.Kind, current.Year, current.TownCode,
            current.VillageCode, current.HouseholdId, command.Step.Value, command.Date!.Value, command.Attended, command.Eligible,
            notice ? command.NoticeStart ?? command.Date : null, notice ? command.NoticeEnd : null, notice ? command.Objections ?? 0 : null,
            command.Note?.Trim(), Targets.Evidence(command.Evidence), caller.User));
    }
}
