using System.Text.Json;
using Ledger.Api.Accountability;
using Ledger.Api.Audit;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Projections.Accountability;
using Ledger.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Accountability;

/// <summary>
/// Past accountability states start from sealed checkpoints and "now" from the live views: each answer
/// equals a fold of the whole log, and a checkpoint changed in the database is neither used nor missed.
/// </summary>
public sealed class CheckpointTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static readonly HashSet<string> Keys =
    [
        AccountabilityView.KeyOf("town", "440233100", 2017), AccountabilityView.KeyOf("town", "440233101", 2017),
        AccountabilityView.KeyOf("town", "440233102", 2017),
    ];

    private MacKey Key => Fixture.Host.Services.GetRequiredService<MacKey>();
    private AccountabilityCheckpoints Checkpoints => Fixture.Host.Services.GetRequiredService<AccountabilityCheckpoints>();

    /// <summary>What the sweep does after a midnight: the chain catches up (to the high-water mark), then a checkpoint at its end.</summary>
    private async Task<long> TakeCheckpoint()
    {
        await Fixture.SettledAsync();
        await Fixture.Host.Services.GetRequiredService<HashChain>().CatchUpAsync(CancellationToken.None);
        var taken = await Checkpoints.TakeAsync(Counties.Xinfeng, CancellationToken.None);
        Assert.NotNull(taken);
        return taken.Value;
    }

    /// <summary>A moment after every event so far (the server's timestamps fall after it for what follows).</summary>
    private static async Task<DateTimeOffset> Moment()
    {
        await Task.Delay(20);
        var moment = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        return moment;
    }

    private async Task<AccountabilityHistory.Folded> Fold(DateTimeOffset? asOf, long? upTo, bool checkpoints)
    {
        await using var session = Fixture.Store.QuerySession(Counties.Xinfeng);
        return await AccountabilityHistory.FoldAsync(session, Keys, asOf, upTo, CancellationToken.None, checkpoints ? Key : null);
    }

    /// <summary>The whole fold as JSON: views by key, cases by id, and the sequence it is as of.</summary>
    private static string Json(AccountabilityHistory.Folded folded) => JsonSerializer.Serialize(new
    {
        Views = folded.Views.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Value),
        Cases = folded.Cases.OrderBy(c => c.Id),
        folded.LastSequence,
    });

    /// <summary>
    /// Several business days (report, notification, an amendment, a return and acceptances), a checkpoint
    /// after each of three: every moment and sequence folds to the same state with or without them.
    /// </summary>
    private async Task<(List<(DateTimeOffset Moment, long Checkpoint)> Points, Reported R)> History()
    {
        var office = Fixture.Token(Roles.PovertyOffice, "扶贫办核查员");
        var points = new List<(DateTimeOffset, long)> { (await Moment(), 0) };
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 3));
        var first = await Given.InspectionInField();
        var finding = await Given.RecordedFinding(first, FindingBody(severity: "minor"));
        var one = await TakeCheckpoint();
        points.Add((await Moment(), one));

        // Another day: the finding amended (minor → grave) and another recorded.
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 4));
        await Expect(await Given.PostJson($"/api/findings/{finding}/amendments",
            new { expectedVersion = await Given.CaseVersion(finding), reason = "复核", severity = "grave" }, Given.Inspector()), 200);
        await Given.RecordedFinding(first, FindingBody(severity: "serious"));
        var two = await TakeCheckpoint();
        points.Add((await Moment(), two));

        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 10));
        await Given.Loop(r.FindingA, "responses", new { description = "d1" }, Given.Respondent());
        await Given.Loop(r.FindingA, "return", new { reason = "不实" }, office);
        await Given.Loop(r.FindingA, "responses", new { description = "d2" }, Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", new { }, office);
        var three = await TakeCheckpoint();
        points.Add((await Moment(), three));

        Fixture.Clock.SetToday(new DateOnly(2017, 10, 5));
        await Given.Loop(r.Check, "responses", new { description = "已使用" }, Given.Respondent("town:440233101"));
        await Given.Loop(r.Check, "acceptance", new { }, office);
        points.Add((await Moment(), three));
        return (points, r);
    }

    [Fact]
    public async Task Past_states_from_checkpoints_equal_a_fold_of_the_whole_log_at_every_moment_and_sequence()
    {
        var (points, _) = await History();
        Assert.Equal(3, points.Select(p => p.Checkpoint).Where(c => c > 0).Distinct().Count());
        foreach (var (moment, checkpoint) in points)
        {
            var full = await Fold(moment, null, checkpoints: false);
            var fromCheckpoint = await Fold(moment, null, checkpoints: true);
            Assert.Equal(0, full.StartedAfter);
            Assert.Equal(checkpoint, fromCheckpoint.StartedAfter);
            Assert.Equal(Json(full), Json(fromCheckpoint));
            // A published assessment is recomputed up to its sequence: the same from a checkpoint.
            var upTo = await Fold(null, full.LastSequence, checkpoints: true);
            Assert.Equal(Json(full), Json(upTo));
        }
        // The states differ from one moment to the next (the comparison compares something).
        var states = new List<string>();
        foreach (var (moment, _) in points) states.Add(Json(await Fold(moment, null, checkpoints: false)));
        Assert.Equal(points.Count, states.Distinct().Count());

        // Through the API: the town's figures as of the second checkpoint's moment show the amendment and no acceptance.
        var past = await Given.GetJson($"/api/towns/440233100/accountability?year=2017&asOf={Uri.EscapeDataString(points[2].Moment.ToString("O"))}");
        Assert.Equal(1, past.GetProperty("figures").GetProperty("findings").GetProperty("grave").GetInt32());
        Assert.Equal(0, past.GetProperty("figures").GetProperty("rectification").GetProperty("closedOnTime").GetInt32());
        Assert.Equal(0, (await Given.GetJson("/api/ledger/verify-views", Roles.Reviewer)).GetProperty("checkpoints").GetArrayLength());
    }

    [Fact]
    public async Task Now_is_read_from_the_live_views_and_the_events_the_daemon_has_not_reached_and_equals_a_full_fold()
    {
        await History();
        await Fixture.SettledAsync();
        var settled = await Fold(null, null, checkpoints: false);
        Assert.True(settled.StartedAfter > 0, "the live views are the start");
        Assert.Equal(Json(await Fold(DateTimeOffset.UtcNow.AddDays(1), null, checkpoints: false)), Json(settled));

        // Events the daemon has not processed yet are folded on top of the live views (the daemon paused).
        var coordinator = Fixture.Host.Services.GetRequiredService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        await coordinator.PauseAsync();
        try
        {
            var inspection = await Given.InspectionInField();
            await Given.RecordedFinding(inspection, FindingBody(severity: "grave"));
            var lagging = await Fold(null, null, checkpoints: false);
            var full = await Fold(DateTimeOffset.UtcNow.AddDays(1), null, checkpoints: false);
            Assert.Equal(Json(full), Json(lagging));
            Assert.NotEqual(Json(settled), Json(lagging));
            Assert.True(lagging.StartedAfter < lagging.LastSequence);
        }
        finally
        {
            await coordinator.ResumeAsync();
        }
    }

    [Fact]
    public async Task A_checkpoint_changed_in_the_database_is_not_used_and_verify_views_names_it()
    {
        var (points, _) = await History();
        var (moment, third) = points[3];
        var expected = Json(await Fold(moment, null, checkpoints: false));

        // The owner empties the newest checkpoint's content (no key to seal it again): skipped, the one before is used.
        Assert.Equal(1, await Fixture.ExecuteAsync(
            $"update {AccountabilityCheckpoints.Table} set content = '{{\"LastEvent\":0,\"Views\":[],\"Cases\":[]}}' where seq_id = {third} and year = 2017"));
        var folded = await Fold(moment, null, checkpoints: true);
        Assert.Equal(points[2].Checkpoint, folded.StartedAfter);
        Assert.Equal(expected, Json(folded));
        var result = await Given.GetJson("/api/ledger/verify-views", Roles.Reviewer);
        Assert.False(result.GetProperty("clean").GetBoolean());
        var differing = result.GetProperty("checkpoints").EnumerateArray().ToList();
        Assert.Contains(differing, d => d.GetProperty("sequence").GetInt64() == third && d.GetProperty("year").GetInt32() == 2017
                                        && d.GetProperty("kind").GetString() == "seal does not verify");

        // A checkpoint sealed with the key but not what its events give (the key leaked): read as sealed, named by verify-views.
        await using (var owner = await LedgerFixture.OwnerConnectionAsync(await Fixture.Store.Storage.FindOrCreateDatabase(Counties.Xinfeng)))
        {
            await using var read = new Npgsql.NpgsqlCommand(
                $"select last_timestamp, chain_hash from {AccountabilityCheckpoints.Table} where seq_id = {third} and year = 2017", owner);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var forged = new Checkpoint(Counties.Xinfeng, third, 2017, reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1),
                "{\"LastEvent\":0,\"Views\":[],\"Cases\":[]}", "");
            await reader.CloseAsync();
            await using var write = new Npgsql.NpgsqlCommand(
                $"update {AccountabilityCheckpoints.Table} set mac = $1 where seq_id = {third} and year = 2017", owner);
            write.Parameters.Add(new Npgsql.NpgsqlParameter { Value = AccountabilityCheckpoints.Seal(forged, Key) });
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        }
        Assert.Equal(third, (await Fold(moment, null, checkpoints: true)).StartedAfter);
        var again = await Given.GetJson("/api/ledger/verify-views", Roles.Reviewer);
        Assert.Contains(again.GetProperty("checkpoints").EnumerateArray(), d => d.GetProperty("sequence").GetInt64() == third
            && d.GetProperty("kind").GetString() == "content differs from its events");
        Assert.DoesNotContain(again.GetProperty("checkpoints").EnumerateArray(), d => d.GetProperty("sequence").GetInt64() != third);
    }
}
