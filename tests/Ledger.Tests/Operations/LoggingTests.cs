using Microsoft.Extensions.Logging;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Projections.Registry;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Operations;

/// <summary>
/// What the host logs while it answers: a client's bad body (400) is an Information line without a stack trace, a
/// server's failure (500) an Error line with its exception, and every line of a request names its correlation id,
/// county and user.
/// </summary>
public sealed class LoggingTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static readonly string[] BadBodies = ["{not json", "{\"expectedVersion\": \"three\"}", "{\"expectedVersion\": NaN}", "[1, 2, 3]", ""];

    [Fact]
    public async Task A_bad_body_is_answered_400_and_logged_at_information_without_a_stack_trace()
    {
        var token = Fixture.Token(Roles.InspectionOffice, user: "督查办李");
        Fixture.Logs.Clear();
        foreach (var body in BadBodies)
        {
            var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            var response = await Given.Send(HttpMethod.Post, "/api/inspections", token, content,
                new Dictionary<string, string> { ["X-Correlation-ID"] = $"bad-body-{body.Length}" });
            Assert.True(response.StatusCode == 400, $"{body}: {response.StatusCode}");
        }

        var lines = Fixture.Logs.Lines;
        Assert.DoesNotContain(lines, l => l.Level >= LogLevel.Error);
        Assert.DoesNotContain(lines, l => l.Exception is not null);
        Assert.DoesNotContain(lines, l => l.Message.Contains("   at "));
        var refused = lines.Where(l => l.Level == LogLevel.Information && l.Message.Contains("not valid JSON")).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, l =>
        {
            Assert.Equal(Counties.Xinfeng, l.Scope.GetValueOrDefault("County"));
            Assert.Equal("督查办李", l.Scope.GetValueOrDefault("User"));
            Assert.StartsWith("bad-body-", l.Scope.GetValueOrDefault("CorrelationId"));
        });
    }

    [Fact]
    public async Task A_server_failure_is_answered_500_and_logged_at_error_with_its_exception_and_who_asked()
    {
        await Given.SampleRegistry();
        var table = $"{Ledger.Api.Setup.MartenSetup.Schema}.mt_doc_{nameof(TownView).ToLowerInvariant()}";   // Marten's table of the towns view
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        // The API's role loses its right to read the towns: every read of them fails in the database.
        await using (var owner = await LedgerFixture.OwnerConnectionAsync(database))
        await using (var revoke = owner.CreateCommand())
        {
            revoke.CommandText = $"revoke select on {table} from {LedgerFixture.AppRole}";
            await revoke.ExecuteNonQueryAsync();
        }
        try
        {
            Fixture.Logs.Clear();
            var response = await Given.Send(HttpMethod.Get, "/api/towns", Fixture.Token(Roles.Reviewer, user: "审阅王"),
                headers: new Dictionary<string, string> { ["X-Correlation-ID"] = "server-failure-1" });
            Assert.Equal(500, response.StatusCode);
            Assert.DoesNotContain("permission", await response.ReadAsTextAsync());   // no internals to the caller

            var error = Assert.Single(Fixture.Logs.Lines, l => l.Level >= LogLevel.Error);
            Assert.NotNull(error.Exception);
            Assert.Contains("permission denied", error.Exception!.GetBaseException().Message);
            Assert.Equal("审阅王", error.Scope.GetValueOrDefault("User"));
            Assert.Equal(Counties.Xinfeng, error.Scope.GetValueOrDefault("County"));
            Assert.Equal("server-failure-1", error.Scope.GetValueOrDefault("CorrelationId"));
        }
        finally
        {
            await using var owner = await LedgerFixture.OwnerConnectionAsync(database);
            await using var grant = owner.CreateCommand();
            grant.CommandText = $"grant select on {table} to {LedgerFixture.AppRole}";
            await grant.ExecuteNonQueryAsync();
        }
    }
}
