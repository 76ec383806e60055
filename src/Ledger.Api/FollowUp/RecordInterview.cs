using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.FollowUp;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.FollowUp;

public static class RecordInterviewEndpoint
{
    /// <summary>约谈: an office records an interview about the cases named; an event on each of them, in its history.</summary>
    [WolverinePost("/api/interviews")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(201)]
    public static Task<IResult> Post(RecordInterview command, Write write) =>
        write.ToCases(command.Cases, FollowUpRules.MaxCases, (id, cases) => command.Decide(id, cases, write.Caller, write.Today),
            id => $"/api/interviews/{id}");
}
