using JasperFx.Events;
using Ledger.Api.Auth;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.FollowUp;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Tips;
using Ledger.Projections.Inspections;
using Marten;

namespace Ledger.Api.Writes;

/// <summary>The answer to a write: the stream's id and the version it is at now.</summary>
public sealed record WriteAnswer(Guid Id, long Version);

/// <summary>
/// The one path every command takes: <b>load</b> the stream it acts on (and whatever else the
/// decision needs) → <b>decide</b> with a pure function of the Domain, which validates and either
/// refuses or gives events → <b>append</b> them, to that stream and to any other stream the decision
/// names → <b>answer</b>. Wolverine commits the session once the endpoint returns (with the
/// request's idempotency key and the actor's metadata); a refusal appends nothing.
/// An endpoint gets one of these as a parameter (see <see cref="RequestValues"/>), with the caller
/// and today's date in the county already read.
/// </summary>
public sealed class Write(IDocumentSession session, HttpContext context, Caller caller, DateOnly today, TimeProvider clock)
{
    public static Write For(HttpContext context, IDocumentSession session, TimeProvider clock) =>
        new(session, context, CallerClaims.From(context.User), RequestValues.Today(clock), clock);

    public Caller Caller => caller;
    /// <summary>Today in the county (China Standard Time), from the injected clock.</summary>
    public DateOnly Today => today;
    /// <summary>For the reads a decision needs beyond its stream.</summary>
    public IQuerySession Reads => session;
    public string County => session.TenantId;
    public CancellationToken Cancellation => context.RequestAborted;
    /// <summary>The request's services, for what a write looks up beside the session (the evidence catalog).</summary>
    public IServiceProvider Services => context.RequestServices;

    /// <summary>An id for a new stream: time-ordered (version 7).</summary>
    public Guid NewId() => Guid.CreateVersion7(clock.GetUtcNow());

    /// <summary>
    /// A write to an existing stream at the version the caller last read (body <c>expectedVersion</c>
    /// or <c>If-Match</c>): 400 without one; <b>load → access → version → decide</b>: 404 when the
    /// stream is not in the caller's county <i>or the caller may not read it</i> (the same answer, so an
    /// outsider learns neither that it exists nor its version, <see cref="MayReadAsync{T}"/>), then 409
    /// (with <c>currentVersion</c>) when it has moved on. Marten checks the version again at commit,
    /// so a race lost between the two is a 409 too. Answers 200 with the new version, or with
    /// <paramref name="answer"/> (given the aggregate before, the decision and the new version).
    /// </summary>
    public async Task<IResult> ToExisting<T>(Guid id, IVersionedCommand command, string what, Func<T, Task<Decision>> decide,
        Func<T, Decision, long, object>? answer = null) where T : class
    {
        var (expected, conflict) = ExpectedVersion.Read(command.ExpectedVersion, context.Request);
        if (conflict is not null) return ProblemAnswers.BadRequest(conflict).ToResult();
        if (expected is null or < 1)
            return ProblemAnswers.BadRequest($"expectedVersion is required: the version of the {what} you last read").ToResult();
        var stream = await session.Events.FetchForWriting<T>(id, Cancellation);
        if (stream.Aggregate is null || !await MayReadAsync(stream.Aggregate))
            return ProblemAnswers.NotFound($"no {what} {id} in this county").ToResult();
        if (stream.CurrentVersion != expected)
            return ProblemAnswers.StaleVersion($"the {what}", expected.Value, stream.CurrentVersion ?? 0);

        var decision = await decide(stream.Aggregate);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);
        AppendToOtherStreams(decision);
        var version = (stream.StartingVersion ?? 0) + decision.Events.Count;
        return Results.Ok(answer is null ? new WriteAnswer(id, version) : answer(stream.Aggregate, decision, version));
    }

    public Task<IResult> ToExisting<T>(Guid id, IVersionedCommand command, string what, Func<T, Decision> decide,
        Func<T, Decision, long, object>? answer = null) where T : class =>
        ToExisting<T>(id, command, what, current => Task.FromResult(decide(current)), answer);

    /// <summary>
    /// A write that starts a new stream under a fresh id: the decision gets the id, and the answer is
    /// 201 with the new record's location and version.
    /// </summary>
    public async Task<IResult> ToNew<T>(Func<Guid, Task<Decision>> decide, Func<Guid, string> location,
        Func<Guid, Decision, object>? answer = null) where T : class
    {
        var id = NewId();
        var decision = await decide(id);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.Events.StartStream<T>(id, decision.Events.ToArray());
        AppendToOtherStreams(decision);
        return Results.Created(location(id), answer is null ? new WriteAnswer(id, decision.Events.Count) : answer(id, decision));
    }

    public Task<IResult> ToNew<T>(Func<Guid, Decision> decide, Func<Guid, string> location, Func<Guid, Decision, object>? answer = null)
        where T : class => ToNew<T>(id => Task.FromResult(decide(id)), location, answer);

    /// <summary>
    /// A write naming several existing cases (a 约谈 or 通报批评 about them): 400 without any or with too
    /// many; <b>load each → access</b> (404 for a case the caller may not read, as for one write) <b>→ decide</b>
    /// with the cases at the versions read; the decision's appends go to those streams, and Marten checks
    /// each version again at commit (a case moved on meanwhile: 409, nothing appended). Answers 201 with
    /// the record's id (given to the decision) and location.
    /// </summary>
    public async Task<IResult> ToCases(IReadOnlyList<Guid>? caseIds, int maxCases, Func<Guid, IReadOnlyList<NamedCase>, Decision> decide,
        Func<Guid, string> location)
    {
        var ids = (caseIds ?? []).Distinct().ToList();
        if (ids.Count == 0) return ProblemAnswers.BadRequest("cases: name at least one case").ToResult();
        if (ids.Count > maxCases) return ProblemAnswers.BadRequest($"cases: at most {maxCases} in one record").ToResult();
        var streams = new Dictionary<Guid, IEventStream<Case>>();
        var named = new List<NamedCase>();
        foreach (var caseId in ids)
        {
            var stream = await session.Events.FetchForWriting<Case>(caseId, Cancellation);
            if (stream.Aggregate is null || !await MayReadAsync(stream.Aggregate))
                return ProblemAnswers.NotFound($"no case {caseId} in this county").ToResult();
            streams[caseId] = stream;
            named.Add(new NamedCase(stream.Aggregate, stream.CurrentVersion ?? 0));
        }
        var id = NewId();
        var decision = decide(id, named);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        foreach (var append in decision.OtherStreams) streams[append.StreamId].AppendMany(append.Events);
        return Results.Created(location(id), new WriteAnswer(id, decision.OtherStreams.Count));
    }

    /// <summary>
    /// A write to a stream whose id follows from what it is about (a household's code, a year's
    /// rulebook): the decision sees the stream as it stands, or null if it has not begun. A writer
    /// racing for the same stream loses with a 409 at commit. Answers 201 with the new version.
    /// </summary>
    public async Task<IResult> ToKnown<T>(Guid id, Func<T?, long, Task<Decision>> decide, string location,
        Func<Decision, long, object>? answer = null) where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(id, Cancellation);
        var before = stream.CurrentVersion ?? 0;
        var decision = await decide(stream.Aggregate, before);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);
        AppendToOtherStreams(decision);
        var version = before + decision.Events.Count;
        return Results.Created(location, answer is null ? new WriteAnswer(id, version) : answer(decision, version));
    }

    public Task<IResult> ToKnown<T>(Guid id, Func<T?, long, Decision> decide, string location, Func<Decision, long, object>? answer = null)
        where T : class =>
        ToKnown<T>(id, (current, version) => Task.FromResult(decide(current, version)), location, answer);

    /// <summary>
    /// A write to a numbered register (an office's document numbers for a year): like
    /// <c>ToKnown</c>, but writers to the same register take turns — each holds a
    /// transaction-scoped lock on the register (<c>pg_advisory_xact_lock</c>) until it commits, so the
    /// next one reads the version the last one left and none loses a race. The stream's versions run
    /// 1, 2, 3…, so numbers taken from them have no gaps and no repeats; a write that fails or is
    /// refused commits nothing and takes no number. Answers 201 at <paramref name="answer"/>'s location.
    /// </summary>
    public async Task<IResult> ToNumbered<T>(Guid id, Func<T?, long, Task<Decision>> decide,
        Func<Decision, (string Location, object Body)> answer) where T : class
    {
        await session.BeginTransactionAsync(Cancellation);
        var key = BitConverter.ToInt64(id.ToByteArray(), 0);
        await session.AdvancedSql.QueryAsync<int>("select 1 from (select pg_advisory_xact_lock(?)) as held", Cancellation, key);
        var stream = await session.Events.FetchForWriting<T>(id, Cancellation);
        var decision = await decide(stream.Aggregate, stream.CurrentVersion ?? 0);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);
        AppendToOtherStreams(decision);
        var (location, body) = answer(decision);
        return Results.Created(location, body);
    }

    /// <summary>
    /// Holds an inspection's stream for the rest of this write's transaction, so that what the write
    /// read of it stays true until it commits: <b>shared</b> by the records that hang from it (a
    /// finding, funding check, identification review or survey — any number of them at once), and
    /// <b>exclusive</b> by the writes that end its field work (the report, the notification of results).
    /// The two exclude each other in PostgreSQL (<c>select … for share / for update</c> on the stream's
    /// row, held until commit): a record either commits before the report or notification is decided
    /// — which then sees it — or waits and reads the inspection as submitted (409). So no record of an
    /// inspection ever commits after its report or notification, and records do not 409 each other.
    /// Call it before reading the inspection.
    /// </summary>
    public async Task HoldInspectionAsync(Guid inspectionId, bool exclusive)
    {
        await session.BeginTransactionAsync(Cancellation);
        var streams = $"{session.DocumentStore.Options.Events.DatabaseSchemaName}.mt_streams";
        await session.AdvancedSql.QueryAsync<long>(
            $"select version from {streams} where id = ? and tenant_id = ? for {(exclusive ? "update" : "share")}",
            Cancellation, inspectionId, session.TenantId);
    }

    /// <summary>
    /// May the caller read this record? The read rules of <see cref="AccessRules"/>, one per kind of
    /// record a write can name by id; a write to a record the caller cannot read is answered as if it
    /// did not exist. A kind without a rule here is a programming error, not a silent allow.
    /// </summary>
    public async Task<bool> MayReadAsync<T>(T record) => record switch
    {
        Inspection inspection => AccessRules.CanRead(caller, inspection),
        Case c => AccessRules.CanReadCase(caller, c.TownCode, c.UnitCode,
            AccessRules.ReadsAll(caller) ? null : await session.LoadAsync<InspectionView>(c.InspectionId, Cancellation)),
        IdentificationDecision d => AccessRules.CanReadTownRecord(caller, d.TownCode),
        Household h => AccessRules.CanReadTownRecord(caller, h.TownCode),
        Tip => caller.Role == Roles.PovertyOffice,
        Account => caller.Role == Roles.Admin,
        _ => throw new InvalidOperationException($"no read rule for {typeof(T).Name}: add one to Write.MayReadAsync"),
    };

    private void AppendToOtherStreams(Decision decision)
    {
        foreach (var other in decision.OtherStreams)
        {
            if (other.ReadAtVersion == 0) session.Events.StartStream(other.StreamId, other.Events.ToArray());  // a new stream (回头看's new case)
            else session.Events.Append(other.StreamId, other.ReadAtVersion + other.Events.Count, other.Events.ToArray());
        }
    }
}
