using Ledger.Domain.Common;

namespace Ledger.Domain.Access;

// One stream per revoked token (id = StableId("token", county, tokenId)): a token is revoked once.

/// <summary>令牌吊销: a token (by its id, the <c>jti</c> claim) is refused from now on, and why (who: the event's user).</summary>
[Label("令牌吊销")]
public sealed record TokenRevoked(Guid RevocationId, string TokenId, string Reason, DateOnly RevokedOn);

/// <summary>The write model and the revocation list's entry (inline snapshot), looked up by id on each request.</summary>
public sealed record RevokedToken(Guid Id, string TokenId, string Reason, DateOnly RevokedOn)
{
    public long Version { get; set; }

    public static RevokedToken Create(TokenRevoked e) => new(e.RevocationId, e.TokenId, e.Reason, e.RevokedOn);
}

/// <summary>吊销令牌: the token's id and the reason.</summary>
public sealed record RevokeToken(string? TokenId, string? Reason)
{
    /// <summary>The stream of a token's revocation follows from its county and id.</summary>
    public static Guid IdOf(string county, string tokenId) => StableId.For("token", county, tokenId);

    public Decision Decide(string county, RevokedToken? existing, DateOnly today)
    {
        var checks = new Checks();
        checks.Text(TokenId, "tokenId (the token's jti)", 64);
        checks.Text(Reason, "reason", Checks.LongText);
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (existing is not null) return Refusal.Conflict($"token {TokenId!.Trim()} is already revoked");
        return Decision.Accept(new TokenRevoked(IdOf(county, TokenId!.Trim()), TokenId!.Trim(), Reason!.Trim(), today));
    }
}
