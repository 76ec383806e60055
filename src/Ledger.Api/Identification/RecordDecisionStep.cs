using Ledger.Api.EvidenceFiles;
using Ledger.Api.Registry;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>The decision after the step: its state and every problem the ledger sees.</summary>
public sealed record DecisionStepAnswer(Guid Id, long Version, DecisionState State, string StateLabel, IReadOnlyList<DecisionProblem> Problems);

public static class RecordDecisionStepEndpoint
{
    /// <summary>记录程序步骤; a village decision reads its village's registry entry, whose status the last step changes.</summary>
    [WolverinePost("/api/decisions/{id}/steps")]
    [Authorize(Roles = $"{Roles.PovertyOffice},{Roles.Respondent}")]
    [ProducesResponseType<DecisionStepAnswer>(200)]
    public static async Task<IResult> Post(Guid id, RecordDecisionStep command, Write write)
    {
        var (evidence, refused) = await write.CitedAsync(command.Evidence);
        if (refused is not null) return refused;
        command = command with { Evidence = evidence };
        return await write.ToExisting<IdentificationDecision>(id, command, "decision",
            async current => command.Decide(current, await VillageOf(current, write), write.Caller, write.Today),
            (before, decision, version) => Answer(id, version, decision.Events.Cast<DecisionStepRecorded>().Aggregate(before, (d, e) => d.Apply(e))));
    }

    private static async Task<VillageRead?> VillageOf(IdentificationDecision current, Write write)
    {
        if (current.Subject != DecisionSubject.Village) return null;
        var registry = await RegistryReader.LoadAsync(write.Reads, [], [], [current.VillageCode], write.Cancellation);
        return registry.Villages.TryGetValue(current.VillageCode, out var village)
            ? new VillageRead(RegistryIds.Village(write.County, village.Code), village.Status, village.Version)
            : null;
    }

    private static DecisionStepAnswer Answer(Guid id, long version, IdentificationDecision after) =>
        new(id, version, after.State, after.StateLabel, after.Problems);
}
