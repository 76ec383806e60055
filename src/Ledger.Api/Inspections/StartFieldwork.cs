using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class StartFieldworkEndpoint
{
    /// <summary>开始实地督查.</summary>
    [WolverinePost("/api/inspections/{id}/fieldwork")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.Inspector}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, StartFieldwork command, Write write) =>
        write.ToExisting<Inspection>(id, command, "inspection", inspection => command.Decide(inspection, write.Caller, write.Today));
}
