using Ledger.Api.Security;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Writes;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>
/// A household as the office sees it: masked name and ID number (first and last character; the whole
/// number only through <see cref="RevealIdNumberEndpoint"/>), status from its completed decisions,
/// assessments and decisions.
/// </summary>
public sealed record HouseholdAnswer(
    string Code, string TownCode, string VillageCode, string HeadNameMasked, int Size, string? IdNumberMasked,
    HouseholdStatus Status, string StatusLabel, IReadOnlyList<HouseholdYear> Assessments,
    IReadOnlyList<DecisionSummary> Decisions, long Version);

public sealed record DecisionSummary(Guid Id, DecisionKind Kind, string KindLabel, int Year, DecisionState State, string StateLabel, int Problems);

public static class GetHousehold
{
    [WolverineGet("/api/households/{code}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<HouseholdAnswer>(200)]
    public static async Task<IResult> Get(string code, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var household = await session.LoadAsync<Household>(RegisterHouseholdEndpoint.IdOf(session.TenantId, code), ct);
        if (household is null) return ProblemAnswers.NotFound($"no household {code} in this county").ToResult();
        if (!AccessRules.CanReadTownRecord(caller, household.TownCode)) return ProblemAnswers.Forbidden("this household does not concern you").ToResult();

        var decisions = await session.Query<IdentificationDecision>().Where(d => d.HouseholdId == household.Id).ToListAsync(ct);
        var status = OpenDecisionEndpoint.HouseholdStatusOf(decisions);
        return Results.Ok(new HouseholdAnswer(household.Code, household.TownCode, household.VillageCode, household.HeadNameMasked,
            household.Size, household.IdNumberMasked is { } masked ? Masking.IdNumber(masked) : null, status, Codes.LabelOf(status),
            household.Assessments.OrderBy(a => a.Year).ToList(),
            decisions.OrderBy(d => d.OpenedOn).Select(d => new DecisionSummary(d.Id, d.Kind, d.KindLabel, d.Year, d.State, d.StateLabel, d.Problems.Count)).ToList(),
            household.Version));
    }
}

/// <summary>The whole ID number, as revealed to the poverty office, and the household's version after the reveal was recorded.</summary>
public sealed record IdNumberAnswer(string Code, string IdNumber, long Version);

public static class RevealIdNumberEndpoint
{
    /// <summary>
    /// 查看完整身份证号: the poverty office alone, on an explicit request with a reason
    /// (<c>{expectedVersion, reason}</c>), is shown a household's whole ID number. Each reveal is
    /// recorded as <c>IdNumberRevealed</c> (who in the event's user, why in its reason) before the
    /// number is answered; a number that cannot be decrypted answers 503 and records nothing.
    /// </summary>
    [WolverinePost("/api/households/{code}/id-number")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<IdNumberAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(503)]
    public static async Task<IResult> Post(string code, RevealIdNumber command, Write write, FieldProtector protector)
    {
        var id = RegisterHouseholdEndpoint.IdOf(write.County, code);
        if (await write.Reads.LoadAsync<Household>(id, write.Cancellation) is { IdNumberEncrypted: { } cipher }
            && protector.Unprotect(cipher, FieldBinding.IdNumber(write.County, id)) is { Readable: false } unreadable)
            return ProblemAnswers.Unavailable($"the ID number cannot be shown: {unreadable.Problem}").ToResult();
        string? whole = null;
        return await write.ToExisting<Household>(id, command, "household", household =>
        {
            var decision = command.Decide(household, write.Today);
            if (decision.Accepted) whole = protector.Unprotect(household.IdNumberEncrypted!, FieldBinding.IdNumber(write.County, id)).Value;
            return decision.Accepted && whole is null
                ? Refusal.Conflict("the ID number changed while it was being read; read the household again")
                : decision;
        }, (household, _, version) => new IdNumberAnswer(household.Code, whole!, version));
    }
}
