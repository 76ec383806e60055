using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Cases;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Accountability;

/// <summary>
/// A village's profile: its status and history and pairing units (registry view), its identification
/// and exit decisions, and every case about it — findings, funding checks, reviews — with its
/// rectification state today. Built from inline views, so it reflects every acknowledged write.
/// </summary>
public sealed record VillageProfile(
    VillageView Village, IReadOnlyList<UnitSummary> PairingUnits, IReadOnlyList<DecisionLine> Decisions,
    IReadOnlyList<CaseListItem> Findings, IReadOnlyList<CaseListItem> FundingChecks, IReadOnlyList<CaseListItem> Reviews);

public sealed record DecisionLine(Guid Id, DecisionSubject Subject, DecisionKind Kind, string KindLabel, int Year, string? HouseholdCode,
    DecisionState State, string StateLabel, IReadOnlyList<DecisionProblem> Problems);

public static class GetVillageProfile
{
    [WolverineGet("/api/villages/{code}/profile")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<VillageProfile>(200)]
    public static async Task<IResult> Get(string code, IQuerySession session, Caller caller, DateOnly today, CancellationToken ct)
    {
        var village = await session.LoadAsync<VillageView>(RegistryIds.Village(session.TenantId, code), ct);
        if (village is null) return ProblemAnswers.NotFound($"no village with code '{code}' in this county").ToResult();
        var paired = village.Pairings.Select(p => p.UnitCode).ToList();
        if (!AccessRules.CanReadVillage(caller, village.TownCode, paired))
            return ProblemAnswers.Forbidden("this village does not concern you").ToResult();

        var units = paired.Count == 0 ? [] : await session.LoadManyAsync<UnitView>(ct, paired.Select(u => RegistryIds.Unit(session.TenantId, u)).ToArray());
        // Trimmed to the caller: a paired unit sees the village's cases about itself, and no town's decisions.
        var decisions = (await session.Query<IdentificationDecision>().Where(d => d.VillageCode == code).OrderBy(d => d.OpenedOn).ToListAsync(ct))
            .Where(d => AccessRules.CanReadTownRecord(caller, d.TownCode)).ToList();
        var filter = new CaseFilter(null, null, code, null, null, null, null, null, null, "recordedOn");
        var cases = await ListCases.AllAsync(filter, session, caller, today, ct);
        return Results.Ok(new VillageProfile(village, units.Select(UnitSummary.Of).ToList(),
            decisions.Select(d => new DecisionLine(d.Id, d.Subject, d.Kind, d.KindLabel, d.Year, d.HouseholdCode, d.State, d.StateLabel, d.Problems)).ToList(),
            cases.Where(c => c.Kind == Domain.Inspections.CaseKind.Finding).ToList(),
            cases.Where(c => c.Kind == Domain.Inspections.CaseKind.FundingCheck).ToList(),
            cases.Where(c => c.Kind == Domain.Inspections.CaseKind.IdentificationReview).ToList()));
    }
}
