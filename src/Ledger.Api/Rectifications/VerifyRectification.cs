using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

public static class AcceptRectificationEndpoint
{
    /// <summary>验收销号.</summary>
    [WolverinePost("/api/rectifications/{id}/acceptance")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, AcceptRectification command, Write write, CountyRules rules) =>
        write.ToExisting<Case>(id, command, "case",
            current => command.Decide(current, write.Caller, write.Today, rules.Rectification(write.Caller.County)));
}

public static class ReturnRectificationEndpoint
{
    /// <summary>退回重新整改.</summary>
    [WolverinePost("/api/rectifications/{id}/return")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, ReturnRectification command, Write write) =>
        write.ToExisting<Case>(id, command, "case", current => command.Decide(current, write.Today));
}
