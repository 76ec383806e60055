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

/// <summary>开始实地督查: from now on the team records findings and funding checks.</summary>
public sealed record StartFieldwork(long? ExpectedVersion, DateOnly? StartedOn);

public static class StartFieldworkEndpoint
{
    [WolverinePost("/api/inspections/{id}/fieldwork")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.Inspector}")]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, StartFieldwork command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => ExistingStream.WriteAsync<Inspection>(session, id, command.ExpectedVersion, context, "inspection", inspection =>
            Task.FromResult(Decide(command, inspection, CallerClaims.From(context.User), ChinaTime.Today(clock.GetUtcNow()))), ct);

    public static Decision Decide(StartFieldwork command, Inspection inspection, Caller caller, DateOnly today)
    {
        if (caller.Role == Roles.Inspector && !inspection.IsLeader(caller.User))
            return Refusal.Forbidden("only the team leader (组长) or the inspection office starts the field work");
        var startedOn = command.StartedOn ?? today;
        if (startedOn > today) return Refusal.Invalid(["startedOn is in the future"]);
        if (startedOn.Year != inspection.Year) return Refusal.Invalid([$"startedOn must fall in the inspection's year {inspection.Year}"]);
        if (inspection.Status != InspectionStatus.TeamFormed)
            return Refusal.Conflict(inspection.Status == InspectionStatus.Planned
                ? "the team has not been formed yet"
                : $"the inspection is already {Codes.LabelOf(inspection.Status)}");
        return Decision.Accept(new InspectionFieldworkStarted(inspection.Id, inspection.Year, inspection.Kind, inspection.TownCodes, inspection.UnitCodes, startedOn));
    }
}
