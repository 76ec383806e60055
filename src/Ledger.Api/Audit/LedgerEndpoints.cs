using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Audit;

public static class GetDigest
{
    /// <summary>
    /// The head of the caller's county's log: county, tree size, last sequence, chain head hash and
    /// Merkle root (write it down, or publish it).
    /// </summary>
    [WolverineGet("/api/ledger/digest")]
    [Heavy(HeavyRoutes.Digest)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    public static Task<Digest> Get(HashChain chain, IQuerySession session, CancellationToken ct) => chain.DigestAsync(session.Database, session.TenantId, ct);
}

public static class VerifyLedger
{
    /// <summary>Recomputes the caller's county's log over a range of sequences and reports the first broken link.</summary>
    [WolverineGet("/api/ledger/verify")]
    [Heavy(HeavyRoutes.Verify)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<Verification>(200)]
    public static async Task<IResult> Get(long? from, long? to, HashChain chain, IQuerySession session, CancellationToken ct)
    {
        if (from is < 0 || to is < 0 || (from is not null && to is not null && to < from))
            return ProblemAnswers.BadRequest("from and to are sequences, 0 or more, with from ≤ to").ToResult();
        return Results.Ok(await chain.VerifyAsync(session.Database, session.TenantId, from ?? 0, to ?? long.MaxValue, ct));
    }
}

public static class GetProof
{
    /// <summary>
    /// A Merkle inclusion proof that event <c>sequence</c> (of the caller's county) is part of the
    /// county's log as committed in <c>digest</c> (<c>{treeSize}:{merkleRoot}</c>, as /api/ledger/digest gives it);
    /// <c>leafIndex</c> is the event's place in the county's log.
    /// </summary>
    [WolverineGet("/api/ledger/proof/{sequence}")]
    [Heavy(HeavyRoutes.Digest)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType<InclusionProof>(200)]
    [ProducesResponseType<ProblemDetails>(409)]   // a digest the ledger cannot reproduce
    public static async Task<IResult> Get(long sequence, string? digest, IQuerySession session, CancellationToken ct)
    {
        var parts = digest?.Split(':');
        if (parts is not { Length: 2 } || !long.TryParse(parts[0], out var size) || parts[1].Length != 64)
            return ProblemAnswers.BadRequest("digest is required as {treeSize}:{merkleRoot}, as /api/ledger/digest gives it").ToResult();
        var (proof, refusal) = await HashChain.ProofAsync(session.Database, session.TenantId, sequence, size, parts[1], ct);
        if (refusal is not null) return ProblemAnswers.Conflict(refusal).ToResult();
        return proof is null
            ? ProblemAnswers.NotFound($"event {sequence} of this county is not in the ledger of that digest").ToResult()
            : Results.Ok(proof);
    }
}
