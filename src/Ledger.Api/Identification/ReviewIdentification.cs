using Ledger.Api.EvidenceFiles;
using Ledger.Api.Registry;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

public static class ReviewIdentificationEndpoint
{
    /// <summary>
    /// 识别退出复核: a new case. The inspection (from its stream), the decision and the household
    /// reviewed are read in one round trip, then the village they lie in.
    /// </summary>
    [WolverinePost("/api/inspections/{id}/identification-reviews")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static async Task<IResult> Post(Guid id, ReviewIdentification command, Write write)
    {
        var (evidence, refused) = await write.CitedAsync(command.Evidence);
        if (refused is not null) return refused;
        command = command with { Evidence = evidence };
        return await write.ToNew<Case>(async caseId =>
        {
            await write.HoldInspectionAsync(id, exclusive: false);
            var batch = write.Reads.CreateBatchQuery();
            var loadInspection = batch.Events.FetchForWriting<Inspection>(id);
            var loadReviewed = command.Decision is { } decisionId
                ? batch.Load<IdentificationDecision>(decisionId) : Task.FromResult<IdentificationDecision?>(null);
            var loadHousehold = string.IsNullOrWhiteSpace(command.Household) ? Task.FromResult<Household?>(null)
                : batch.Load<Household>(RegisterHouseholdEndpoint.IdOf(write.County, command.Household.Trim()));
            await batch.Execute(write.Cancellation);
            if ((await loadInspection).Aggregate is not { } inspection || !await write.MayReadAsync(inspection)) return Refusal.NotFound($"no inspection {id} in this county");
            var reviewed = await loadReviewed;
            if (command.Decision is not null && reviewed is null) return Refusal.NotFound($"no decision {command.Decision} in this county");
            var household = await loadHousehold;
            var village = reviewed?.VillageCode ?? household?.VillageCode ?? command.Village?.Trim();
            var registry = await RegistryReader.LoadAsync(write.Reads, [], [], [village], write.Cancellation);
            return command.Decide(caseId, inspection, reviewed, household, registry, write.Caller, write.Today);
        }, caseId => $"/api/cases/{caseId}");
    }
}
