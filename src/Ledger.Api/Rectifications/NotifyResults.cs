using Ledger.Api.Inspections;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

public static class NotifyResultsEndpoint
{
    /// <summary>
    /// 通报督查结果: notices on the inspection's stream, a requirement on each case required (read from its
    /// stream). Issued by either office on behalf of the leading group, both recorded on each event.
    /// </summary>
    [WolverinePost("/api/inspections/{id}/notifications")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static async Task<IResult> Post(Guid id, NotifyResults command, Write write)
    {
        await write.HoldInspectionAsync(id, exclusive: true);   // no record of the inspection commits after its results
        // The cases named, and every other case of the inspection: each problem must be accounted for.
        var ofInspection = await write.Reads.Query<CaseView>().Where(c => c.InspectionId == id).Select(c => c.Id).ToListAsync(write.Cancellation);
        return await write.ToExisting<Inspection>(id, command, "inspection", async inspection =>
            command.Decide(inspection, await CaseStreams.ReadAsync(write, command.NamedCases().Union(ofInspection).ToList()), write.Today, write.Caller));
    }
}
