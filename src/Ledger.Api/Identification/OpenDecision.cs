using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>
/// 启动识别/退出程序. A household decision takes its figures from the household's assessment for
/// the year; a village decision states the village's per-capita income, registered residents and
/// poor people.
/// </summary>
public sealed record OpenDecision(
    DecisionSubject? Subject, DecisionKind? Kind, int? Year, string? Village, string? Household,
    decimal? PerCapitaIncome, int? RegisteredResidents, int? PoorPeople);

public static class OpenDecisionEndpoint
{
    [WolverinePost("/api/decisions")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(OpenDecision command, IDocumentSession session, CountyRules rules, TimeProvider clock, CancellationToken ct)
    {
        var household = string.IsNullOrWhiteSpace(command.Household) ? null
            : await session.LoadAsync<Household>(RegisterHouseholdEndpoint.IdOf(session.TenantId, command.Household.Trim()), ct);
        var village = household?.VillageCode ?? command.Village?.Trim();
        var registry = await RegistryReader.LoadAsync(session, [], [], [village], ct);
        var open = await session.Query<IdentificationDecision>()
            .Where(d => d.VillageCode == village && d.State == DecisionState.InProgress).ToListAsync(ct);
        var history = household is null ? [] : await session.Query<IdentificationDecision>()
            .Where(d => d.HouseholdId == household.Id).ToListAsync(ct);

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var decision = Decide(id, command, household, registry, open, history, rules.MinimumNoticeDays(session.TenantId),
            ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.Events.StartStream<IdentificationDecision>(id, decision.Events.ToArray());
        return Results.Created($"/api/decisions/{id}", new WriteAnswer(id, 1));
    }

    public static Decision Decide(Guid id, OpenDecision command, Household? household, RegistryState registry,
        IReadOnlyList<IdentificationDecision> inProgress, IReadOnlyList<IdentificationDecision> householdHistory,
        int minimumNoticeDays, DateOnly today)
    {
        var checks = new Checks();
        checks.That(command.Subject is not null, $"subject is required: {Codes.Accepted<DecisionSubject>()}");
        checks.That(command.Kind is not null, $"kind is required: {Codes.Accepted<DecisionKind>()}");
        checks.That(command.Year is >= 2000 && command.Year <= today.Year + 1, $"year must be between 2000 and {today.Year + 1}");
        if (command.Subject == DecisionSubject.Household)
        {
            checks.That(!string.IsNullOrWhiteSpace(command.Household), "household (its code) is required for a household decision");
            if (!string.IsNullOrWhiteSpace(command.Household) && household is null)
                return Refusal.NotFound($"no household {command.Household} in this county");
            checks.That(command.PerCapitaIncome is null && command.RegisteredResidents is null && command.PoorPeople is null,
                "a household decision takes its figures from the household's assessment, not from the request");
        }
        if (command.Subject == DecisionSubject.Village)
        {
            checks.That(registry.Villages.ContainsKey(command.Village?.Trim() ?? ""), $"unknown village code '{command.Village}'");
            checks.That(command.Household is null, "a village decision names no household");
            checks.Amount(command.PerCapitaIncome, "perCapitaIncome");
            checks.That(command.RegisteredResidents is >= 1, "registeredResidents (户籍人口) is required");
            checks.That(command.PoorPeople is >= 0 && command.PoorPeople <= command.RegisteredResidents,
                "poorPeople is required and cannot exceed registeredResidents");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;

        var subject = command.Subject!.Value;
        var kind = command.Kind!.Value;
        var year = command.Year!.Value;
        if (subject == DecisionSubject.Household)
        {
            var assessment = household!.AssessmentFor(year);
            if (assessment is null)
                return Refusal.Conflict($"household {household.Code} has no assessment (income, three guarantees) for {year}: record it first");
            if (inProgress.Any(d => d.HouseholdId == household.Id))
                return Refusal.Conflict($"household {household.Code} already has a decision in progress");
            var status = HouseholdStatusOf(householdHistory);
            if (kind == DecisionKind.Entry && status == HouseholdStatus.Enrolled)
                return Refusal.Conflict($"household {household.Code} is already enrolled (已建档立卡)");
            if (kind == DecisionKind.Exit && status != HouseholdStatus.Enrolled)
                return Refusal.Conflict($"household {household.Code} is {Codes.LabelOf(status)}: only an enrolled household exits");
            return Decision.Accept(new DecisionOpened(id, subject, kind, year, household.TownCode, household.VillageCode,
                household.Id, household.Code, assessment.Size,
                new DecisionBasis(assessment.PerCapitaIncome, assessment.Guarantees, null, null), minimumNoticeDays, today));
        }

        var village = registry.Villages[command.Village!.Trim()];
        if (inProgress.Any(d => d.Subject == DecisionSubject.Village))
            return Refusal.Conflict($"village {village.Code} already has a village decision in progress");
        if (kind == DecisionKind.Entry && village.Status == VillageStatus.RelativelyPoor)
            return Refusal.Conflict($"village {village.Code} is already a relatively-poor village");
        if (kind == DecisionKind.Exit && village.Status != VillageStatus.RelativelyPoor)
            return Refusal.Conflict($"village {village.Code} is not a relatively-poor village: it cannot exit");
        return Decision.Accept(new DecisionOpened(id, subject, kind, year, village.TownCode, village.Code, null, null,
            command.PoorPeople!.Value,
            new DecisionBasis(command.PerCapitaIncome, null, command.RegisteredResidents, command.PoorPeople), minimumNoticeDays, today));
    }

    /// <summary>A household's status follows from its completed decisions: the last one completed decides.</summary>
    public static HouseholdStatus HouseholdStatusOf(IEnumerable<IdentificationDecision> decisions) =>
        decisions.Where(d => d.State == DecisionState.Completed)
            .OrderBy(d => d.Steps[^1].Date).ThenBy(d => d.OpenedOn)
            .Select(d => d.Kind == DecisionKind.Entry ? HouseholdStatus.Enrolled : HouseholdStatus.Exited)
            .LastOrDefault(HouseholdStatus.NotEnrolled);
}
