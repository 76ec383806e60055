using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

public static class RequestExtensionEndpoint
{
    /// <summary>申请延期.</summary>
    [WolverinePost("/api/rectifications/{id}/extension-requests")]
    [Authorize(Roles = $"{Roles.Respondent},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, RequestExtension command, Write write) =>
        write.ToExisting<Case>(id, command, "case", current => command.Decide(current, write.Caller, write.Today));
}

public static class DecideExtensionEndpoint
{
    /// <summary>批准或不予延期.</summary>
    [WolverinePost("/api/rectifications/{id}/extension-decision")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, DecideExtension command, Write write) =>
        write.ToExisting<Case>(id, command, "case", current => command.Decide(current, write.Caller, write.Today));
}
