using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>撤回: a finding or funding check withdrawn, with the reason. It stays in the ledger, marked withdrawn.</summary>
public sealed record WithdrawFinding(long? ExpectedVersion, string? Reason);

public static class WithdrawFindingEndpoint
{
    [WolverinePost("/api/findings/{id}/withdrawal")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.Inspector}")]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, WithdrawFinding command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => ExistingStream.WriteAsync<Case>(session, id, command.ExpectedVersion, context, "case", async current =>
            Decide(command, current, (await session.LoadAsync<Inspection>(current.InspectionId, ct))!, CallerClaims.From(context.User),
                ChinaTime.Today(clock.GetUtcNow())), ct);

    public static Decision Decide(WithdrawFinding command, Case current, Inspection inspection, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanCorrect(caller, inspection))
            return Refusal.Forbidden("only the inspection's team or the inspection office withdraws its records");
        if (new Checks().Text(command.Reason, "reason (why it is withdrawn)", Checks.LongText).ToRefusal() is { } invalid)
            return invalid;
        if (current.Status == CaseStatus.Withdrawn) return Refusal.Conflict("the record is already withdrawn");
        if (inspection.Status == InspectionStatus.Closed) return Refusal.Conflict("the inspection is closed; its records are final");
        return Decision.Accept(new FindingWithdrawn(current.Id, current.InspectionId, current.Year, current.TownCode,
            current.UnitCode, current.VillageCode, command.Reason!.Trim(), today));
    }
}
