using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.FollowUp;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.FollowUp;

public static class IssueCriticismEndpoint
{
    /// <summary>通报批评: an office issues, on behalf of the leading group, a criticism of a town or unit for the cases named.</summary>
    [WolverinePost("/api/criticisms")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(201)]
    public static Task<IResult> Post(IssueCriticism command, Write write) =>
        write.ToCases(command.Cases, FollowUpRules.MaxCases, (id, cases) => command.Decide(id, cases, write.Caller, write.Today),
            id => $"/api/criticisms/{id}");
}
