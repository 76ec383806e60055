using Ledger.Api.Registry;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class PlanInspectionEndpoint
{
    /// <summary>制定督查方案: by either office (Art. 10(1)), the planning office recorded on the event.</summary>
    [WolverinePost("/api/inspections")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(201)]
    public static Task<IResult> Post(PlanInspection command, Write write) =>
        write.ToNew<Inspection>(async id => command.Decide(id,
                await RegistryReader.LoadAsync(write.Reads, command.NamedTowns(), command.Units ?? [], [], write.Cancellation), write.Today, write.Caller.Role),
            id => $"/api/inspections/{id}");
}
