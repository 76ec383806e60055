using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Assessment;
using Ledger.Domain.Identification;
using Ledger.Projections.Registry;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Assessment;

/// <summary>记录减贫目标任务: the poverty office records or corrects a town's targets for a year, with their source document.</summary>
public static class RecordPovertyTargetsEndpoint
{
    [WolverinePost("/api/targets")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static async Task<IResult> Post(RecordPovertyTargets command, Write write)
    {
        var town = command.Town?.Trim() ?? "";
        if (town.Length > 0 && !await write.Reads.Query<TownView>().AnyAsync(t => t.Code == town, write.Cancellation))
            return ProblemAnswers.NotFound($"no town '{town}' in this county").ToResult();
        var id = RecordPovertyTargets.StreamOf(write.County, town, command.Year);
        return await write.ToKnown<TownTargets>(id, (current, _) => command.Decide(id, current, write.Caller.User, write.Today),
            $"/api/targets/{command.Year}/towns/{town}");
    }
}

/// <summary>A town's targets (the revision in force, null if none) beside its actual results, and every revision of the targets.</summary>
public sealed record TownTargetsAnswer(string Town, string TownName, int Year, PovertyTargetsRecorded? Targets, ActualResults Actual,
    IReadOnlyList<PovertyTargetsRecorded> Revisions);

/// <summary>Every town's targets beside its actual results for a year.</summary>
public sealed record TargetsList(int Year, IReadOnlyList<TownTargetsAnswer> Towns);

public static class GetPovertyTargets
{
    /// <summary>The event types actual results are computed from.</summary>
    private static readonly Type[] ResultTypes = [typeof(DecisionOpened), typeof(DecisionStepRecorded), typeof(HouseholdAssessed)];

    /// <summary>
    /// The actual results of the towns given for a year, from the county's decision and assessment events
    /// of that year and the year before, read in sequence order.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ActualResults>> ActualsAsync(IQuerySession session, IReadOnlyList<string> towns, int year,
        CancellationToken ct)
    {
        var events = new List<(Guid, object)>();
        await foreach (var e in session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(ResultTypes))
                           .OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
            if (e.Data is DecisionOpened { Year: var y1 } && y1 == year || e.Data is DecisionStepRecorded { Year: var y2 } && y2 == year
                || e.Data is HouseholdAssessed { Year: var y3 } && (y3 == year || y3 == year - 1))
                events.Add((e.Id, e.Data));
        return towns.ToDictionary(t => t, t => ActualResults.Compute(t, year, events));
    }

    /// <summary>The targets of a town and year, if any were recorded.</summary>
    public static async Task<TownTargets?> TargetsAsync(IQuerySession session, string town, int year, CancellationToken ct) =>
        await session.Events.AggregateStreamAsync<TownTargets>(RecordPovertyTargets.StreamOf(session.TenantId, town, year), token: ct);

    private static TownTargetsAnswer Answer(TownView town, int year, TownTargets? targets, ActualResults actual) =>
        new(town.Code, town.Name, year, targets?.Current, actual, targets?.Revisions ?? []);

    /// <summary>Every town's targets for the year beside its actual results.</summary>
    [WolverineGet("/api/targets/{year}/towns")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<TargetsList> List(int year, IQuerySession session, CancellationToken ct)
    {
        var towns = await session.Query<TownView>().OrderBy(t => t.Code).ToListAsync(ct);
        var actuals = await ActualsAsync(session, towns.Select(t => t.Code).ToList(), year, ct);
        var answers = new List<TownTargetsAnswer>();
        foreach (var town in towns)
            answers.Add(Answer(town, year, await TargetsAsync(session, town.Code, year, ct), actuals[town.Code]));
        return new TargetsList(year, answers);
    }

    /// <summary>One town's targets for the year beside its actual results; a town reads its own only (another's answers 404).</summary>
    [WolverineGet("/api/targets/{year}/towns/{code}")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<TownTargetsAnswer>(200)]
    public static async Task<IResult> Town(int year, string code, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var town = AccessRules.CanReadTown(caller, code)
            ? await session.Query<TownView>().FirstOrDefaultAsync(t => t.Code == code, ct)
            : null;
        if (town is null) return ProblemAnswers.NotFound($"no town '{code}' of yours in this county").ToResult();
        var actuals = await ActualsAsync(session, [code], year, ct);
        return Results.Ok(Answer(town, year, await TargetsAsync(session, code, year, ct), actuals[code]));
    }
}
