using Ledger.Api.Registry;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Identification;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

public static class OpenDecisionEndpoint
{
    /// <summary>启动识别/退出程序: the household it names, its village's entry, the decisions in progress there, the household's history.</summary>
    [WolverinePost("/api/decisions")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static async Task<IResult> Post(OpenDecision command, Write write, CountyRules rules)
    {
        var (session, ct) = (write.Reads, write.Cancellation);
        var household = string.IsNullOrWhiteSpace(command.Household) ? null
            : await session.LoadAsync<Household>(RegisterHousehold.IdOf(write.County, command.Household.Trim()), ct);
        var village = household?.VillageCode ?? command.Village?.Trim();
        var registry = await RegistryReader.LoadAsync(session, [], [], [village], ct);
        var open = await session.Query<IdentificationDecision>()
            .Where(d => d.VillageCode == village && d.State == DecisionState.InProgress).ToListAsync(ct);
        var history = household is null ? [] : await session.Query<IdentificationDecision>()
            .Where(d => d.HouseholdId == household.Id).ToListAsync(ct);
        return await write.ToNew<IdentificationDecision>(
            id => command.Decide(id, household, registry, open, history, rules.MinimumNoticeDays(write.County), write.Today,
                command.Year is { } year ? rules.HouseholdExitLine(write.County, year) : null),
            id => $"/api/decisions/{id}");
    }

    /// <summary>A household's status follows from its completed decisions (see <see cref="OpenDecision.HouseholdStatusOf"/>).</summary>
    public static HouseholdStatus HouseholdStatusOf(IEnumerable<IdentificationDecision> decisions) => OpenDecision.HouseholdStatusOf(decisions);
}
