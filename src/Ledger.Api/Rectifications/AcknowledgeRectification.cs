using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

public static class AcknowledgeRectificationEndpoint
{
    /// <summary>签收: the responsible town or unit acknowledges the requirement, with its 整改责任人 and 整改措施.</summary>
    [WolverinePost("/api/rectifications/{id}/acknowledgement")]
    [Authorize(Roles = Roles.Respondent)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, AcknowledgeRectification command, Write write, CountyRules rules) =>
        write.ToExisting<Case>(id, command, "case",
            current => command.Decide(current, write.Caller, write.Today, rules.AcknowledgementDays(write.County)));
}
