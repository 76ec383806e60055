using Ledger.Api.Storage;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Tests.Access;
using Ledger.Tests.Fixtures;
using Marten;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Province;

/// <summary>
/// A province deployment: 新丰 in the second server's database, 翁源 in the first (see
/// <see cref="ProvinceFixture"/>). Each county's records go to its own database, every route
/// answers per county, and the views, the chain and the checks work database by database.
/// </summary>
public sealed class ProvinceTests(ProvinceFixture fixture) : ProvinceTest(fixture)
{
    private const string Xinfeng = Counties.Xinfeng, Wengyuan = ProvinceFixture.Wengyuan;

    [Fact]
    public async Task Every_route_answers_for_a_county_held_in_the_second_database()
    {
        await RoleMatrixTests.EveryRouteAsTheTableSaysAsync(Fixture);

        var south = await Fixture.Store.Storage.FindOrCreateDatabase(Xinfeng);
        var north = await Fixture.Store.Storage.FindOrCreateDatabase(Wengyuan);
        Assert.NotEqual(south.Id, north.Id);
        Assert.True(await LedgerFixture.EventCountAsync(south, Xinfeng) > 100);
        Assert.Equal(0, await LedgerFixture.EventCountAsync(north));
    }

    [Fact]
    public async Task Two_counties_on_two_databases_keep_their_own_ledgers_views_and_chains()
    {
        var findings = new Dictionary<string, Guid>();
        foreach (var county in new[] { Xinfeng, Wengyuan })
        {
            var given = new Scenarios(Fixture) { County = county };
            await given.SampleRegistry(county);
            var inspection = await given.InspectionInField(PlanBody(towns: [$"{county}100", $"{county}101"]));
            findings[county] = await given.RecordedFinding(inspection, FindingBody(town: $"{county}100", village: $"{county}100201"));
        }

        // Each county's events are in its own database and nowhere else.
        var south = await Fixture.Store.Storage.FindOrCreateDatabase(Xinfeng);
        var north = await Fixture.Store.Storage.FindOrCreateDatabase(Wengyuan);
        Assert.True(await LedgerFixture.EventCountAsync(south, Xinfeng) > 0);
        Assert.Equal(0, await LedgerFixture.EventCountAsync(south, Wengyuan));
        Assert.True(await LedgerFixture.EventCountAsync(north, Wengyuan) > 0);
        Assert.Equal(0, await LedgerFixture.EventCountAsync(north, Xinfeng));

        // The daemon builds the async views in both databases.
        await Fixture.SettledAsync();
        foreach (var county in new[] { Xinfeng, Wengyuan })
        {
            var reviewer = Fixture.Token(Roles.Reviewer, county: county);
            var town = await Expect(await Given.Get($"/api/towns/{county}100/accountability?year=2017", reviewer), 200);
            Assert.Equal(1, town.GetProperty("figures").GetProperty("findings").GetProperty("total").GetInt32());
            var cases = await Expect(await Given.Get("/api/cases?year=2017", reviewer), 200);
            Assert.Equal(findings[county], Assert.Single(cases.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());

            // Each county has a log of its own events, and it verifies.
            var verification = await Expect(await Given.Get("/api/ledger/verify", reviewer), 200);
            Assert.True(verification.GetProperty("intact").GetBoolean());
            var digest = await Expect(await Given.Get("/api/ledger/digest", reviewer), 200);
            var database = county == Xinfeng ? south : north;
            Assert.Equal((county, await RowsOfAsync(database, county)),
                (digest.GetProperty("county").GetString(), digest.GetProperty("treeSize").GetInt64()));
        }

        // A county cannot see the other's case, though the ids are global.
        Assert.Equal(404, (await Given.Get($"/api/cases/{findings[Xinfeng]}", Fixture.Token(Roles.Reviewer, county: Wengyuan))).StatusCode);

        // A county the province does not hold is refused with problem details, and nothing is written.
        var before = await Fixture.EventCountAsync();
        var stranger = Fixture.Token(Roles.InspectionOffice, county: "440222");
        var read = await Given.Get("/api/towns", stranger);
        Assert.Equal((403, "application/problem+json"), (read.StatusCode, read.ContentType));
        Assert.Equal(403, (await Given.PostJson("/api/inspections", PlanBody(towns: ["440222100"]), stranger)).StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());

        var health = await Expect(await Given.Get("/health", null), 200);
        Assert.Equal("all 2 databases answer", health.GetProperty("checks").GetProperty("database").GetString());
    }

    [Fact]
    public async Task A_retried_write_in_the_second_database_is_answered_once()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "province-retry-1" };
        var first = await Given.PostJson($"/api/inspections/{inspection}/findings", FindingBody(), Given.Inspector(), headers);
        var events = await Fixture.EventCountAsync();
        var again = await Given.PostJson($"/api/inspections/{inspection}/findings", FindingBody(), Given.Inspector(), headers);

        Assert.Equal((201, 201), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.ReadAsTextAsync(), await again.ReadAsTextAsync());
        Assert.Equal(events, await Fixture.EventCountAsync());
    }

    /// <summary>The rows of the event table of one county (Marten's tombstones of that county included: each is chained too).</summary>
    private static async Task<long> RowsOfAsync(Marten.Storage.IMartenDatabase database, string county)
    {
        await using var connection = await Api.Storage.LedgerSql.OpenConnectionAsync(database, CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"select count(*) from {Api.Setup.MartenSetup.Schema}.mt_events where tenant_id = '{county}'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
