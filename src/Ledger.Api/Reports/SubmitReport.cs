using Ledger.Api.Inspections;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Reports;

public static class SubmitReportEndpoint
{
    /// <summary>情况报告, by the team leader; the cases it names are read from their streams.</summary>
    [WolverinePost("/api/inspections/{id}/report")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static async Task<IResult> Post(Guid id, SubmitReport command, Write write)
    {
        await write.HoldInspectionAsync(id, exclusive: true);   // no record of the inspection commits after the report
        return await write.ToExisting<Inspection>(id, command, "inspection", async inspection => command.Decide(inspection,
            (await CaseStreams.ReadAsync(write, command.NamedCases())).ToDictionary(c => c.Key, c => c.Value.Case),
            write.Caller, write.Today));
    }
}
