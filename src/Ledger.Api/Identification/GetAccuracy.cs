using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Ledger.Projections.Cases;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>三率一度 of a town for a year, with the sample behind each rate.</summary>
public sealed record AccuracyAnswer(string TownCode, int Year, AccuracyFigures Figures);

public static class GetAccuracy
{
    [WolverineGet("/api/towns/{code}/accuracy")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<AccuracyAnswer>(200)]
    public static async Task<IResult> Get(string code, int? year, IQuerySession session, Caller caller, CancellationToken ct)
    {
        if (!AccessRules.CanReadTown(caller, code))
            return ProblemAnswers.Forbidden("accuracy figures are for the offices, reviewers and the town itself").ToResult();
        if (year is null) return ProblemAnswers.BadRequest("year is required").ToResult();
        if (await session.LoadAsync<TownView>(RegistryIds.Town(session.TenantId, code), ct) is null)
            return ProblemAnswers.NotFound($"no town with code '{code}' in this county").ToResult();

        var reviews = await session.Query<CaseView>()
            .Where(c => c.Kind == CaseKind.IdentificationReview && c.TownCode == code && c.Year == year && c.Status == CaseStatus.Open)
            .ToListAsync(ct);
        var surveys = await session.Events.QueryRawEventDataOnly<PublicApprovalSurveyed>()
            .Where(s => s.TownCode == code && s.Year == year).ToListAsync(ct);
        var figures = AccuracyRules.Compute(
            reviews.Select(r => new AccuracyRules.Review(r.Review!.DecisionKind, r.Review.Verdict, r.Review.People, r.VillageCode!,
                r.Review.UnregisteredPeopleInVillage)).ToList(),
            surveys.Select(s => new AccuracyRules.Survey(s.Respondents, s.Approving)).ToList());
        return Results.Ok(new AccuracyAnswer(code, year.Value, figures));
    }
}
