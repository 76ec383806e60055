using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class WithdrawFindingEndpoint
{
    /// <summary>撤回 a finding, review or funding check.</summary>
    [WolverinePost("/api/findings/{id}/withdrawal")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.Inspector}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, WithdrawFinding command, Write write) =>
        write.ToExisting<Case>(id, command, "case", async current => command.Decide(current,
            (await write.Reads.Events.AggregateStreamAsync<Inspection>(current.InspectionId, token: write.Cancellation))!,
            write.Caller, write.Today));
}
