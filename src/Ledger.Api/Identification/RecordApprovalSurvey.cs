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

public static class RecordApprovalSurveyEndpoint
{
    /// <summary>群众认可度调查: a survey's stream begins; the answer points at the town's accuracy figures.</summary>
    [WolverinePost("/api/inspections/{id}/approval-surveys")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static async Task<IResult> Post(Guid id, RecordApprovalSurvey command, Write write)
    {
        PublicApprovalSurveyed? surveyed = null;
        return await write.ToNew<ApprovalSurvey>(async surveyId =>
            {
                await write.HoldInspectionAsync(id, exclusive: false);
            var batch = write.Reads.CreateBatchQuery();
                var inspection = batch.Events.FetchForWriting<Inspection>(id);
                var registry = RegistryReader.Queue(batch, write.County, [command.Town], [], [command.Village]);
                await batch.Execute(write.Cancellation);
                if ((await inspection).Aggregate is not { } current || !await write.MayReadAsync(current)) return Refusal.NotFound($"no inspection {id} in this county");
                var decision = command.Decide(surveyId, current, await registry, write.Caller, write.Today);
                surveyed = decision.Events.OfType<PublicApprovalSurveyed>().SingleOrDefault();
                return decision;
            },
            _ => $"/api/towns/{surveyed!.TownCode}/accuracy?year={surveyed.Year}");
    }
}
