using Ledger.Api.Setup;
using Ledger.Api.EvidenceFiles;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

public static class RespondToRectificationEndpoint
{
    /// <summary>反馈整改情况. A rectification's id is its case's id.</summary>
    [WolverinePost("/api/rectifications/{id}/responses")]
    [Authorize(Roles = $"{Roles.Respondent},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(200)]
    public static async Task<IResult> Post(Guid id, RespondToRectification command, Write write, CountyRules rules)
    {
        var (evidence, refused) = await write.CitedAsync(command.Evidence);
        if (refused is not null) return refused;
        command = command with { Evidence = evidence };
        return await write.ToExisting<Case>(id, command, "case",
            current => command.Decide(current, write.Caller, write.Today, rules.Rectification(write.Caller.County)));
    }
}
