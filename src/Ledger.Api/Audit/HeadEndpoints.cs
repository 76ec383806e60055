using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Domain.Audit;
using Ledger.Api.Http;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Audit;

public static class GetTreeHead
{
    /// <summary>
    /// The newest signed tree head of the caller's county's log, or with <c>size</c> the head made at
    /// that tree size (from the heads table or the witness directory).
    /// </summary>
    [WolverineGet("/api/ledger/heads")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<SignedHead>(200)]
    public static async Task<IResult> Get(long? size, TreeHeads heads, IQuerySession session, CancellationToken ct)
    {
        if (size is < 1) return ProblemAnswers.BadRequest("size is a tree size, 1 or more").ToResult();
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        var known = await heads.KnownAsync(session.Database.NameOf(), session.TenantId, connection, null, ct);
        var head = size is null ? known.LastOrDefault() : known.LastOrDefault(h => h.TreeSize == size);
        return head is null
            ? ProblemAnswers.NotFound(size is null ? "no tree head has been made yet" : $"no tree head was made at size {size}").ToResult()
            : Results.Ok(head);
    }
}

public static class MakeTreeHead
{
    /// <summary>
    /// Chains what is pending and makes a signed head of the caller's county's log now (the newest head
    /// when the log did not grow). 409 when the log contradicts a head it had: no head is made over it.
    /// </summary>
    [WolverinePost("/api/ledger/heads")]
    [Heavy(HeavyRoutes.Digest)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<SignedHead>(200)]
    public static async Task<IResult> Post(HashChain chain, IQuerySession session, CancellationToken ct)
    {
        var (head, alarm) = await chain.HeadNowAsync(session.Database, session.TenantId, ct);
        if (alarm is not null)
            return ProblemAnswers.Conflict(alarm.Detail, new Dictionary<string, object?> { ["alarm"] = alarm }).ToResult();
        return head is null ? ProblemAnswers.NotFound("the county's log is empty: there is nothing to sign").ToResult() : Results.Ok(head);
    }
}

public static class GetHeadPublicKey
{
    /// <summary>The public key (PEM, SubjectPublicKeyInfo) that checks the heads' signatures. Anyone may read it.</summary>
    [WolverineGet("/api/ledger/public-key")]
    [AllowAnonymous]
    [NotTenanted]
    [ProducesResponseType<string>(200, "application/x-pem-file")]
    public static IResult Get(TreeHeads heads) => heads.PublicKeyPem is { } pem
        ? Results.Text(pem, "application/x-pem-file")
        : ProblemAnswers.NotFound($"heads are unsigned: no {AuditSettings.Section}:SigningKey is configured").ToResult();
}

public static class GetConsistencyProof
{
    /// <summary>
    /// The consistency proof (RFC 9162 §2.1.4) that the tree of the caller's county's log of size
    /// <c>from</c> is a prefix of its tree of size <c>to</c>, with both roots: compare <c>fromRoot</c> with a head you kept.
    /// </summary>
    [WolverineGet("/api/ledger/consistency")]
    [Heavy(HeavyRoutes.Digest)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<ConsistencyAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(409)]   // the ledger cannot reproduce a size asked for
    public static async Task<IResult> Get(long? from, long? to, IQuerySession session, CancellationToken ct)
    {
        if (from is not { } first || to is not { } second || first < 1 || second < first || second > int.MaxValue)
            return ProblemAnswers.BadRequest("from and to are tree sizes with 1 ≤ from ≤ to").ToResult();
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        var (answer, refusal) = await TreeHeads.ConsistencyAsync(connection, session.TenantId, first, second, ct);
        return refusal is not null ? ProblemAnswers.Conflict(refusal).ToResult() : Results.Ok(answer);
    }
}
