using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Ledger.Domain.Tips;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>记录督查发现. The target is a town, unit and/or village within the inspection's scope; <c>area</c> is 1–8.</summary>
public sealed record RecordFinding(
    string? Town, string? Unit, string? Village, int? Area, InspectionMethod? Method, string? Description,
    Severity? Severity, IReadOnlyList<Evidence>? Evidence, DateOnly? ObservedOn, Guid? Tip = null);

public static class RecordFindingEndpoint
{
    [WolverinePost("/api/inspections/{id}/findings")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, RecordFinding command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => NewCase.RecordAsync(session, id, clock,
            batch => (Registry: RegistryReader.Queue(batch, session.TenantId, [command.Town], [command.Unit], [command.Village]),
                Tip: command.Tip is { } tipId ? batch.Load<Tip>(tipId) : Task.FromResult<Tip?>(null)),
            async (inspection, reads, caseId, today) =>
                Decide(caseId, command, inspection, await reads.Registry, await reads.Tip, CallerClaims.From(context.User), today), ct);

    public static Decision Decide(Guid caseId, RecordFinding command, Inspection inspection, RegistryState registry, Tip? tip,
        Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team records its findings");

        var checks = new Checks();
        var target = Targets.Check(checks, command.Town, command.Unit, command.Village, inspection, registry);
        checks.That(command.Area is >= 1 and <= 8, "area is required: a content area 1–8 (Art. 9)");
        if (command.Area is >= 1 and <= 8)
            checks.That(inspection.ContentAreas.Contains((ContentArea)command.Area),
                $"content area {command.Area} is not examined by this inspection");
        checks.That(command.Method is not null, $"method is required: {Codes.Accepted<InspectionMethod>()}");
        checks.That(command.Severity is not null, $"severity is required: {Codes.Accepted<Severity>()}");
        checks.Text(command.Description, "description", Checks.LongText);
        Targets.CheckEvidence(checks, command.Evidence);
        if (command.Tip is not null)
        {
            checks.That(tip is not null && tip.InspectionId == inspection.Id, $"tip {command.Tip} is not linked to this inspection");
            checks.That(command.Method == InspectionMethod.PublicReport, "a finding from a tip is obtained by public report (群众举报): method public-report");
        }
        var observedOn = command.ObservedOn ?? today;
        checks.That(observedOn <= today, "observedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");

        return Decision.Accept(new FindingRecorded(caseId, inspection.Id, inspection.Year,
            target.Town, target.Unit, target.Village, (ContentArea)command.Area!.Value, command.Method!.Value,
            command.Description!.Trim(), command.Severity!.Value, Targets.Evidence(command.Evidence), caller.User, observedOn,
            command.Tip));
    }
}
