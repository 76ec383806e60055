using Ledger.Api.Security;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>
/// A household as the office sees it: masked name and ID number (the whole ID number only for the
/// poverty office), status from its completed decisions, assessments and decisions.
/// </summary>
public sealed record HouseholdAnswer(
    string Code, string TownCode, string VillageCode, string HeadNameMasked, int Size, string? IdNumberMasked, string? IdNumber,
    HouseholdStatus Status, string StatusLabel, IReadOnlyList<HouseholdYear> Assessments,
    IReadOnlyList<DecisionSummary> Decisions, long Version);

public sealed record DecisionSummary(Guid Id, DecisionKind Kind, string KindLabel, int Year, DecisionState State, string StateLabel, int Problems);

public static class GetHousehold
{
    [WolverineGet("/api/households/{code}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<HouseholdAnswer>(200)]
    public static async Task<IResult> Get(string code, IQuerySession session, Caller caller, FieldProtector protector, CancellationToken ct)
    {
        var household = await session.LoadAsync<Household>(RegisterHouseholdEndpoint.IdOf(session.TenantId, code), ct);
        if (household is null) return ProblemAnswers.NotFound($"no household {code} in this county").ToResult();
        if (!AccessRules.CanReadTownRecord(caller, household.TownCode)) return ProblemAnswers.Forbidden("this household does not concern you").ToResult();

        var decisions = await session.Query<IdentificationDecision>().Where(d => d.HouseholdId == household.Id).ToListAsync(ct);
        var status = OpenDecisionEndpoint.HouseholdStatusOf(decisions);
        var wholeId = caller.Role == Roles.PovertyOffice && household.IdNumberEncrypted is { } cipher && protector.Enabled
            ? protector.Unprotect(cipher) : null;
        return Results.Ok(new HouseholdAnswer(household.Code, household.TownCode, household.VillageCode, household.HeadNameMasked,
            household.Size, household.IdNumberMasked, wholeId, status, Codes.LabelOf(status),
            household.Assessments.OrderBy(a => a.Year).ToList(),
            decisions.OrderBy(d => d.OpenedOn).Select(d => new DecisionSummary(d.Id, d.Kind, d.KindLabel, d.Year, d.State, d.StateLabel, d.Problems.Count)).ToList(),
            household.Version));
    }
}
