using Ledger.Api.Registry;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class FormTeamEndpoint
{
    /// <summary>组建督查组.</summary>
    [WolverinePost("/api/inspections/{id}/team")]
    [Authorize(Roles = Roles.InspectionOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, FormTeam command, Write write) =>
        write.ToExisting<Inspection>(id, command, "inspection", async inspection => command.Decide(inspection,
            await RegistryReader.LoadAsync(write.Reads, command.NamedTowns(), command.NamedUnits(inspection), [], write.Cancellation),
            write.Today));
}
