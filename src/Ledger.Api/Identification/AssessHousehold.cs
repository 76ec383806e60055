using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Identification;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

public static class AssessHouseholdEndpoint
{
    [WolverinePost("/api/households/{code}/assessments")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(string code, AssessHousehold command, Write write) =>
        write.ToExisting<Household>(RegisterHousehold.IdOf(write.County, code), command, "household",
            household => command.Decide(household, write.Today));
}
