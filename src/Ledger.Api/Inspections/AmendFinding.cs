using Ledger.Api.EvidenceFiles;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class AmendFindingEndpoint
{
    /// <summary>更正 a finding, review or funding check.</summary>
    [WolverinePost("/api/findings/{id}/amendments")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.Inspector}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static async Task<IResult> Post(Guid id, AmendFinding command, Write write)
    {
        var (evidence, refused) = await write.CitedAsync(command.AddEvidence);
        if (refused is not null) return refused;
        command = command with { AddEvidence = evidence };
        return await write.ToExisting<Case>(id, command, "case", async current => command.Decide(current,
            (await write.Reads.Events.AggregateStreamAsync<Inspection>(current.InspectionId, token: write.Cancellation))!,
            write.Caller, write.Today));
    }
}
