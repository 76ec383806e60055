using System.Security.Claims;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Fixtures;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Security;

/// <summary>Token ids, the lifetime cap, revocation and the signing key's change-over, through HTTP.</summary>
public sealed class TokenTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string AnyRead = "/api/towns";

    /// <summary>A token made by hand, as an attacker or an older issuer would: with these claims, this key, this lifetime.</summary>
    private static string Forged(string key, TimeSpan lifetime, bool withId = true)
    {
        var claims = new List<Claim> { new("sub", "某人"), new("role", Roles.Reviewer), new("county", Counties.Xinfeng) };
        if (withId) claims.Add(new Claim("jti", Guid.NewGuid().ToString()));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims), Issuer = "ledger", Audience = "ledger", IssuedAt = now, NotBefore = now,
            Expires = now.Add(lifetime),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task A_revoked_token_is_refused_on_its_next_request_and_other_tokens_are_not()
    {
        await Given.SampleRegistry();
        var token = Fixture.Token(Roles.Reviewer, "审查员甲");
        var other = Fixture.Token(Roles.Reviewer, "审查员甲");
        var id = TokenIssuer.IdOf(token);
        Assert.NotNull(id);
        Assert.NotEqual(id, TokenIssuer.IdOf(other));
        Assert.Equal(200, (await Given.Get(AnyRead, token)).StatusCode);

        var office = Fixture.Token(Roles.InspectionOffice);
        await Expect(await Given.Post("/api/tokens/revocations", new RevokeToken(id, null), office), 400);
        Assert.Equal(403, (await Given.Post("/api/tokens/revocations", new RevokeToken(id, "x"), Fixture.Token(Roles.Reviewer))).StatusCode);
        await Expect<WriteAnswer>(await Given.Post("/api/tokens/revocations", new RevokeToken(id, "笔记本电脑遗失"), office), 201);

        var refused = await Given.Get(AnyRead, token);
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(401, (await Given.Post("/api/tokens/revocations", new RevokeToken(TokenIssuer.IdOf(other), "用被吊销的令牌"), token)).StatusCode);
        Assert.Equal(200, (await Given.Get(AnyRead, other)).StatusCode);
        await Expect(await Given.Post("/api/tokens/revocations", new RevokeToken(id, "again"), office), 409);

        // The CLI's path (token revoke ID) puts the other one on the list too.
        Assert.Null(await RevokeTokenEndpoint.RevokeAsync(Fixture.Store, Counties.Xinfeng, new RevokeToken(TokenIssuer.IdOf(other), "离职"),
            "cli:test", new DateOnly(2017, 7, 1), CancellationToken.None));
        Assert.Equal(401, (await Given.Get(AnyRead, other)).StatusCode);
        // A revocation holds in its county only: the same id in another county's list is another entry.
        Assert.Equal(RevokeToken.IdOf("440233", id!), RevokeToken.IdOf("440233", id!));
        Assert.NotEqual(RevokeToken.IdOf("440233", id!), RevokeToken.IdOf("440234", id!));
    }

    [Fact]
    public async Task Tokens_without_an_id_or_living_past_the_cap_are_refused_and_none_is_issued_past_it()
    {
        await Given.SampleRegistry();
        Assert.Equal(200, (await Given.Get(AnyRead, Forged(LedgerFixture.SigningKey, TimeSpan.FromHours(2)))).StatusCode);
        Assert.Equal(401, (await Given.Get(AnyRead, Forged(LedgerFixture.SigningKey, TimeSpan.FromHours(2), withId: false))).StatusCode);
        Assert.Equal(401, (await Given.Get(AnyRead, Forged(LedgerFixture.SigningKey, TimeSpan.FromDays(30)))).StatusCode);
        Assert.Throws<ArgumentException>(() => Fixture.Tokens.Issue("某人", Roles.Reviewer, lifetime: TimeSpan.FromHours(25)));
        Assert.Throws<ArgumentException>(() => Fixture.Tokens.Issue("某人", Roles.Reviewer, lifetime: TimeSpan.FromHours(-1)));
        var longest = Fixture.Tokens.Issue("某人", Roles.Reviewer, lifetime: TokenIssuer.MaxLifetime);
        Assert.Equal(200, (await Given.Get(AnyRead, longest)).StatusCode);
    }

    [Fact]
    public async Task During_a_signing_key_change_over_tokens_of_the_previous_key_are_accepted_and_others_are_not()
    {
        await Given.SampleRegistry();
        Assert.Equal(200, (await Given.Get(AnyRead, Forged(LedgerFixture.PreviousSigningKey, TimeSpan.FromHours(1)))).StatusCode);
        Assert.Equal(401, (await Given.Get(AnyRead, Forged("a-key-this-ledger-has-never-been-configured-with", TimeSpan.FromHours(1)))).StatusCode);
        // New tokens are signed with the current key only.
        var issued = new JsonWebToken(Fixture.Token(Roles.Reviewer));
        var check = await new JsonWebTokenHandler().ValidateTokenAsync(issued.EncodedToken, new TokenValidationParameters
        {
            ValidIssuer = "ledger", ValidAudience = "ledger",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LedgerFixture.SigningKey)),
        });
        Assert.True(check.IsValid);
    }
}
