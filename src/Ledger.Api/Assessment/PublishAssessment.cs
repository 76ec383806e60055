using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Assessment;
using Ledger.Domain.Common;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Assessment;

/// <summary>
/// 发布考核结果: freeze the year's assessment as of a moment (default now). The first publication
/// is revision 1; a correction is a later revision that gives its reason (and the revision it
/// corrects, as expectedRevision) and names what changed.
/// </summary>
public sealed record PublishAssessment(DateTimeOffset? AsOf, string? Reason, int? ExpectedRevision);

public static class PublishAssessmentEndpoint
{
    public static Guid StreamOf(string county, int year) => StableId.For("assessment", county, year.ToString());

    [WolverinePost("/api/assessments/{year}/publish")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(int year, PublishAssessment command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (command.AsOf > now) return ProblemAnswers.BadRequest("asOf is in the future").ToResult();
        if (new Checks().Text(command.Reason, "reason", Checks.LongText, required: false).ToRefusal() is { } invalid) return invalid.ToResult();
        var id = StreamOf(session.TenantId, year);
        var earlier = (await session.Events.FetchStreamAsync(id, token: ct)).Select(e => (AssessmentPublished)e.Data).ToList();
        if (earlier.Count > 0)
        {
            if (command.ExpectedRevision != earlier.Count)
                return ProblemAnswers.Conflict($"the assessment of {year} is at revision {earlier.Count}: a correction names it as expectedRevision",
                    new Dictionary<string, object?> { ["currentRevision"] = earlier.Count }).ToResult();
            if (string.IsNullOrWhiteSpace(command.Reason))
                return ProblemAnswers.BadRequest("a correction (a later revision) says why: reason is required").ToResult();
        }

        var computed = await Assessments.ComputeAsync(session, year, command.AsOf, null, now, null, ct);
        var scores = computed.Towns.Select(t => (t, "town")).Concat(computed.Units.Select(u => (u, "unit")))
            .Select(x => new PublishedScore(x.Item2, x.Item1.Card.Code, x.Item1.Card.Score, x.Item1.Card.Grade, x.Item1.Rank, x.Item1.Card.Lines))
            .ToList();
        var changes = earlier.Count == 0 ? [] : Changes(earlier[^1].Scores, scores);
        if (earlier.Count > 0 && changes.Count == 0 && earlier[^1].RulebookVersion == (computed.RulebookVersion ?? 0))
            return ProblemAnswers.Conflict($"nothing changed since revision {earlier.Count}").ToResult();

        var published = new AssessmentPublished(id, year, earlier.Count + 1, computed.RulebookVersion ?? 0, computed.AsOf, computed.AsOfSequence,
            scores, command.Reason?.Trim(), changes, CallerClaims.From(context.User).User, ChinaTime.Today(now));
        if (earlier.Count == 0) session.Events.StartStream(id, published);
        else session.Events.Append(id, earlier.Count + 1, published);
        return Results.Created($"/api/assessments/{year}/published", new WriteAnswer(id, earlier.Count + 1));
    }

    public static IReadOnlyList<ScoreChange> Changes(IReadOnlyList<PublishedScore> before, IReadOnlyList<PublishedScore> after)
    {
        var old = before.ToDictionary(s => (s.Scope, s.Code));
        return after.Where(s => !old.TryGetValue((s.Scope, s.Code), out var o) || o.Score != s.Score || o.Grade != s.Grade)
            .Select(s => old.TryGetValue((s.Scope, s.Code), out var o)
                ? new ScoreChange(s.Scope, s.Code, o.Score, s.Score, o.Grade, s.Grade)
                : new ScoreChange(s.Scope, s.Code, 0, s.Score, "", s.Grade))
            .ToList();
    }
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
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<Recomputation>(200)]
    [ProducesResponseType<ProblemDetails>(404)]
    public static async Task<IResult> Get(int year, int revision, IQuerySession session, CancellationToken ct)
    {
        var all = (await session.Events.FetchStreamAsync(PublishAssessmentEndpoint.StreamOf(session.TenantId, year), token: ct))
            .Select(e => (AssessmentPublished)e.Data).ToList();
        if (revision < 1 || revision > all.Count) return ProblemAnswers.NotFound($"the assessment of {year} has no revision {revision}").ToResult();
        var published = all[revision - 1];
        var again = await Assessments.ComputeAsync(session, year, null, published.AsOfSequence, published.AsOf, published.RulebookVersion, ct);
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
