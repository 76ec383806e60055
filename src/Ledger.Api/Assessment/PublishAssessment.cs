using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Domain.Assessment;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Assessment;

public static class PublishAssessmentEndpoint
{
    public static Guid StreamOf(string county, int year) => PublishAssessment.StreamOf(county, year);

    /// <summary>发布考核结果: the assessment computed as of the moment asked (only once the request passes its checks), then frozen.</summary>
    [WolverinePost("/api/assessments/{year}/publish")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    public static Task<IResult> Post(int year, PublishAssessment command, Write write, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var id = StreamOf(write.County, year);
        return write.ToKnown<PublishedAssessment>(id, async (current, _) => command.Check(current, year, now) is { } refused
                ? refused
                : command.Decide(id, year, current, ResultOf(await Assessments.ComputeAsync(write.Reads, year, command.AsOf, null, now, null, write.Cancellation)),
                    write.Caller, now),
            $"/api/assessments/{year}/published");
    }

    /// <summary>The computed assessment as it is published: towns then units, each with its rank and lines.</summary>
    public static AssessmentResult ResultOf(ComputedAssessment computed) => new(computed.RulebookVersion ?? 0, computed.AsOf, computed.AsOfSequence,
        computed.Towns.Select(t => (t, "town")).Concat(computed.Units.Select(u => (u, "unit")))
            .Select(x => new PublishedScore(x.Item2, x.Item1.Card.Code, x.Item1.Card.Score, x.Item1.Card.Grade, x.Item1.Rank, x.Item1.Card.Lines))
            .ToList());

    public static IReadOnlyList<ScoreChange> Changes(IReadOnlyList<PublishedScore> before, IReadOnlyList<PublishedScore> after) =>
        PublishAssessment.Changes(before, after);
}

public static class GetPublishedAssessments
{
    /// <summary>Every published revision of the year's assessment, oldest first, exactly as frozen.</summary>
    [WolverineGet("/api/assessments/{year}/published")]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<IReadOnlyList<AssessmentPublished>> Get(int year, IQuerySession session, CancellationToken ct) =>
        (await session.Events.FetchStreamAsync(PublishAssessmentEndpoint.StreamOf(session.TenantId, year), token: ct))
        .Select(e => (AssessmentPublished)e.Data).ToList();
}

/// <summary>Whether a published revision still follows from the ledger, recomputed at its own as-of point.</summary>
public sealed record Recomputation(int Revision, bool Equal, IReadOnlyList<ScoreChange> Differences);

public static class RecomputePublishedAssessment
{
    /// <summary>
    /// Recomputes a published revision from the events up to its as-of sequence, under its rulebook
    /// version and as-of day, and compares every score and line with what was frozen.
    /// </summary>
    [WolverineGet("/api/assessments/{year}/published/{revision}/recompute")]
    [Heavy(HeavyRoutes.Replay)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<Recomputation>(200)]
    public static async Task<IResult> Get(int year, int revision, IQuerySession session, Audit.MacKey key, CancellationToken ct)
    {
        var all = (await session.Events.FetchStreamAsync(PublishAssessmentEndpoint.StreamOf(session.TenantId, year), token: ct))
            .Select(e => (AssessmentPublished)e.Data).ToList();
        if (revision < 1 || revision > all.Count) return ProblemAnswers.NotFound($"the assessment of {year} has no revision {revision}").ToResult();
        var published = all[revision - 1];
        var again = await Assessments.ComputeAsync(session, year, null, published.AsOfSequence, published.AsOf, published.RulebookVersion, ct, key);
        var scores = again.Towns.Select(t => (t, "town")).Concat(again.Units.Select(u => (u, "unit")))
            .Select(x => new PublishedScore(x.Item2, x.Item1.Card.Code, x.Item1.Card.Score, x.Item1.Card.Grade, x.Item1.Rank, x.Item1.Card.Lines))
            .ToList();
        var differences = PublishAssessmentEndpoint.Changes(published.Scores, scores);
        var linesEqual = published.Scores.Zip(scores).All(p => p.First.Lines.Count == p.Second.Lines.Count
            && p.First.Lines.Zip(p.Second.Lines).All(l => l.First.Rule == l.Second.Rule && l.First.Points == l.Second.Points
                && l.First.EventIds.SequenceEqual(l.Second.EventIds)));
        return Results.Ok(new Recomputation(revision, differences.Count == 0 && linesEqual && published.Scores.Count == scores.Count, differences));
    }
}
