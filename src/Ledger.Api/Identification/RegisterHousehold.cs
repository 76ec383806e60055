using Ledger.Api.Registry;
using Ledger.Api.Security;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Identification;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

public static class RegisterHouseholdEndpoint
{
    public static Guid IdOf(string county, string code) => RegisterHousehold.IdOf(county, code);

    [WolverinePost("/api/households")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static async Task<IResult> Post(RegisterHousehold command, Write write, FieldProtector protector)
    {
        var registry = await RegistryReader.LoadAsync(write.Reads, [], [], [command.Village], write.Cancellation);
        var id = IdOf(write.County, command.Code?.Trim() ?? "");
        return await write.ToKnown<Household>(id, (existing, _) => command.Decide(id, existing, registry, protector.AsEncryptor(FieldBinding.IdNumber(write.County, id)), write.Today),
            $"/api/households/{command.Code?.Trim()}");
    }
}
