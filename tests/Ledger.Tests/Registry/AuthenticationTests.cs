using Ledger.Domain.Access;
using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using Marten;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ledger.Tests.Registry;

public sealed class AuthenticationTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static string Forge(string key, string issuer = "ledger", DateTime? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "mallory", ["role"] = Roles.PovertyOffice, ["county"] = "440233" },
            Issuer = issuer,
            Audience = "ledger",
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    public static TheoryData<string, string?> BadTokens => new()
    {
        { "no token", null },
        { "garbage", "not-a-jwt" },
        { "wrong signature", Forge("another-signing-key-that-is-long-enough-123") },
        { "wrong issuer", Forge(LedgerFixture.SigningKey, issuer: "someone-else") },
        { "expired", Forge(LedgerFixture.SigningKey, expires: DateTime.UtcNow.AddHours(-1)) },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Without_a_valid_token_a_write_is_refused_with_401_and_appends_nothing(string why, string? token)
    {
        var response = await Given.ImportCsv(Scenarios.SampleFile("towns.csv"), token);
        Assert.True(401 == response.StatusCode, why);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(0, await Fixture.EventCountAsync());
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Without_a_valid_token_a_read_is_refused_with_401(string why, string? token)
    {
        var response = await Given.Get("/api/towns", token);
        Assert.True(401 == response.StatusCode, why);
    }

    [Theory]
    [InlineData(Roles.Reviewer)]
    [InlineData(Roles.Inspector)]
    [InlineData(Roles.InspectionOffice)]
    public async Task Only_the_poverty_office_imports_the_registry(string role)
    {
        var response = await Given.ImportCsv(Scenarios.SampleFile("towns.csv"),
            Fixture.Token(role, scope: role == Roles.Respondent ? "town:440233100" : null));
        Assert.Equal(403, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(0, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Health_and_the_api_document_need_no_token()
    {
        var health = await Given.Get("/health", null);
        Assert.Equal(200, health.StatusCode);
        Assert.Contains("healthy", await health.ReadAsTextAsync());

        var document = await Given.Get("/openapi/v1.json", null);
        Assert.Equal(200, document.StatusCode);
        var text = await document.ReadAsTextAsync();
        Assert.Contains("/api/registry/import", text);
        Assert.Contains("/api/villages/{code}", text);
    }

    [Fact]
    public async Task Every_event_records_the_acting_user_role_and_correlation_id()
    {
        var response = await Given.Send(HttpMethod.Post, "/api/registry/import", Fixture.Token(Roles.PovertyOffice, user: "李四"),
            new StringContent(Scenarios.SampleFile("towns.csv"), Encoding.UTF8, "text/csv"),
            new Dictionary<string, string> { ["X-Correlation-ID"] = "corr-42" });
        Assert.Equal(200, response.StatusCode);

        await using var session = Fixture.Store.QuerySession("440233");
        var events = await session.Events.QueryAllRawEvents().ToListAsync();
        Assert.Equal(7, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("李四", e.UserName);
            Assert.Equal(Roles.PovertyOffice, e.Headers?["role"]?.ToString());
            Assert.Equal("corr-42", e.CorrelationId);
            Assert.Equal("440233", e.TenantId);
        });
    }
}
