using Ledger.Api.EvidenceFiles;
using Ledger.Api.Registry;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class RecordFundingCheckEndpoint
{
    /// <summary>资金检查: a new case. The inspection (from its stream) and the registry entries are read in one round trip.</summary>
    [WolverinePost("/api/inspections/{id}/funding-checks")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static async Task<IResult> Post(Guid id, RecordFundingCheck command, Write write)
    {
        var (evidence, refused) = await write.CitedAsync(command.Evidence);
        if (refused is not null) return refused;
        command = command with { Evidence = evidence };
        return await write.ToNew<Case>(async caseId =>
        {
            await write.HoldInspectionAsync(id, exclusive: false);
            var batch = write.Reads.CreateBatchQuery();
            var inspection = batch.Events.FetchForWriting<Inspection>(id);
            var registry = RegistryReader.Queue(batch, write.County, [command.Town], [command.Unit], [command.Village]);
            await batch.Execute(write.Cancellation);
            if ((await inspection).Aggregate is not { } current || !await write.MayReadAsync(current)) return Refusal.NotFound($"no inspection {id} in this county");
            return command.Decide(caseId, current, await registry, write.Caller, write.Today);
        }, caseId => $"/api/cases/{caseId}");
    }
}
