using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using Ledger.Projections.Accountability;
using Ledger.Projections.Registry;
using Ledger.Api.Audit;
using Marten;
using Marten.Services.BatchQuerying;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Accountability;

/// <summary>A village of the town (or paired with the unit) with its own counts for the year.</summary>
public sealed record AccountableVillage(string Code, string Name, VillageStatus Status, string StatusLabel, int Records, int Problems,
    int RequirementsOpen, int Overdue);

/// <summary>
/// What a town or unit is accountable for in a year: the view's figures, as of now or of a past
/// moment, with how current the answer is.
/// </summary>
public sealed record AccountabilityAnswer(
    string Scope, string Code, string Name, int Year, DateTimeOffset? AsOf, long LastEventSequence, long CurrentToSequence,
    AccountabilityFiguresAnswer Figures, IReadOnlyList<AccountableVillage> Villages);

public static class GetAccountability
{
    [WolverineGet("/api/towns/{code}/accountability")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<AccountabilityAnswer>(200)]
    public static async Task<IResult> Town(string code, int? year, DateTimeOffset? asOf, IQuerySession session, IDocumentStore store,
        Caller caller, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        // One round trip for the town, its villages and (for the current state) its view and case rows.
        var batch = session.CreateBatchQuery();
        var loadTown = batch.Load<TownView>(RegistryIds.Town(session.TenantId, code));
        var loadVillages = batch.Query<VillageView>().Where(v => v.TownCode == code).OrderBy(v => v.Code).ToList();
        var current = asOf is null && year is not null ? Current(batch, "town", code, year.Value) : null;
        await batch.Execute(ct);
        var town = await loadTown;
        if (town is null) return ProblemAnswers.NotFound($"no town with code '{code}' in this county").ToResult();
        return await AnswerAsync("town", code, town.Name, await loadVillages, year, asOf, current, session, store, caller, clock, key, ct);
    }

    [WolverineGet("/api/units/{id}/accountability")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<AccountabilityAnswer>(200)]
    public static async Task<IResult> Unit(string id, int? year, DateTimeOffset? asOf, IQuerySession session, IDocumentStore store,
        Caller caller, TimeProvider clock, MacKey key, CancellationToken ct)
    {
        var unit = await session.LoadAsync<UnitView>(RegistryIds.Unit(session.TenantId, id), ct);
        if (unit is null) return ProblemAnswers.NotFound($"no unit with code '{id}' in this county").ToResult();
        var paired = unit.PairedVillages.Select(p => RegistryIds.Village(session.TenantId, p.VillageCode)).ToArray();
        var villages = paired.Length == 0 ? [] : (await session.LoadManyAsync<VillageView>(ct, paired)).OrderBy(v => v.Code).ToList();
        return await AnswerAsync("unit", id, unit.Name, villages, year, asOf, null, session, store, caller, clock, key, ct);
    }

    /// <summary>The view and the case rows of a town- or unit-year as they stand, queued in a batch.</summary>
    private sealed record CurrentState(Task<AccountabilityView?> View, Task<IReadOnlyList<CaseRow>> Cases);

    private static CurrentState Current(IBatchedQuery batch, string scope, string code, int year) => new(
        batch.Load<AccountabilityView>(AccountabilityView.KeyOf(scope, code, year)),
        scope == "town"
            ? batch.Query<CaseRow>().Where(c => c.TownCode == code && c.Year == year).ToList()
            : batch.Query<CaseRow>().Where(c => c.UnitCode == code && c.Year == year).ToList());

    private static async Task<IResult> AnswerAsync(string scope, string code, string name, IReadOnlyList<VillageView> villages,
        int? year, DateTimeOffset? asOf, CurrentState? loaded, IQuerySession session, IDocumentStore store, Caller caller,
        TimeProvider clock, MacKey checkpointKey, CancellationToken ct)
    {
        if (!(scope == "town" ? AccessRules.CanReadTown(caller, code) : AccessRules.CanReadUnit(caller, code)))
            return ProblemAnswers.Forbidden("accountability views are for the offices, reviewers and the town or unit itself").ToResult();
        if (year is null) return ProblemAnswers.BadRequest("year is required").ToResult();

        var key = AccountabilityView.KeyOf(scope, code, year.Value);
        AccountabilityView view;
        IReadOnlyList<CaseRow> cases;
        if (asOf is { } moment)
        {
            var folded = await AccountabilityHistory.FoldAsync(session, new HashSet<string> { key }, moment, null, ct, checkpointKey);
            (view, cases) = (folded.Views[key], folded.CasesFor(key));
        }
        else
        {
            if (loaded is null)
            {
                var batch = session.CreateBatchQuery();
                loaded = Current(batch, scope, code, year.Value);
                await batch.Execute(ct);
            }
            view = await loaded.View ?? new AccountabilityView { Id = key };
            cases = await loaded.Cases;
        }
        (view, cases) = await Trimming.AccountabilityForAsync(caller, view, cases, session, ct);
        var lastEvent = Math.Max(view.LastEventSequence, cases.Select(c => c.LastEventSequence).DefaultIfEmpty(0).Max());
        var today = ChinaTime.Today(asOf ?? clock.GetUtcNow());
        var figures = AccountabilityFigures.Of(view, cases, today);
        var byVillage = figures.Villages.ToDictionary(v => v.Code);
        var lines = villages.Select(v =>
        {
            var counts = byVillage.GetValueOrDefault(v.Code);
            return new AccountableVillage(v.Code, v.Name, v.Status, v.StatusLabel, counts?.Records ?? 0, counts?.Problems ?? 0,
                counts?.RequirementsOpen ?? 0, counts?.Overdue ?? 0);
        }).ToList();
        var freshness = asOf is null ? await Freshness.ReadAsync(store, session.TenantId, ct) : new Freshness(lastEvent, lastEvent);
        return Results.Ok(new AccountabilityAnswer(scope, code, name, year.Value, asOf, lastEvent, freshness.CurrentToSequence,
            figures, lines));
    }
}
