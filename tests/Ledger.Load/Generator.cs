using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Identification;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;

namespace Ledger.Load;

/// <summary>
/// Realistic histories of whole counties, from a fixed seed, written straight into the event store
/// (as the API would record them, without going through HTTP) so that a million events take
/// minutes, not hours. Each county gets the sample registry under its own code (7 towns, 141
/// villages, 19 relatively-poor), its poor households with their yearly assessments, entry
/// decisions (2016) and exits (2018–2020), and for each year from 2016 (five years unless told: any number)
/// a comprehensive inspection
/// with findings in every town, funding checks, identification reviews and approval surveys,
/// the leader's report, notification per town and the rectification of what was required.
/// About 19,000 events per county: a province of ~120 counties is ~2.3 million.
/// </summary>
public sealed class Generator(IDocumentStore store, string registryFolder, int seed = 2017, int years = 5)
{
    public const int FirstYear = 2016;

    /// <summary>The last year of the histories: <c>years</c> years from <see cref="FirstYear"/>.</summary>
    public int LastYear { get; } = years >= 1 ? FirstYear + years - 1 : throw new ArgumentOutOfRangeException(nameof(years), "at least one year");
    private const int HouseholdsPerPoorVillage = 40;
    private static readonly Evidence[] Photo = [new("现场照片", EvidenceKind.Photo, null)];

    /// <summary>The i-th county's code: 新丰 first, then codes of the form 44ccnn (distinct, valid, not real ones).</summary>
    public static string CountyCode(int i) => i == 0 ? Counties.Xinfeng : $"44{60 + i / 40:D2}{20 + i % 40:D2}";

    private sealed record Village(string Code, string Town, bool Poor);

    /// <summary>Writes counties until at least <paramref name="targetEvents"/> events exist (or <paramref name="counties"/> are done); returns the counties written.</summary>
    public async Task<int> RunAsync(int counties, long targetEvents, Action<string> log)
    {
        var written = 0;
        for (var i = 0; i < counties; i++)
        {
            var events = await CountEventsAsync();
            if (events >= targetEvents) break;
            await CountyAsync(CountyCode(i), new Random(seed + i));
            written++;
            if (written % 10 == 0) log($"  {written} counties, {await CountEventsAsync():N0} events");
        }
        return written;
    }

    private async Task<long> CountEventsAsync()
    {
        return (await store.Advanced.FetchEventStoreStatistics()).EventCount;
    }

    private IDocumentSession Session(string county, string user, string role)
    {
        var session = store.LightweightSession(county);
        session.LastModifiedBy = user;
        session.SetHeader(ActorMiddleware.RoleHeader, role);
        return session;
    }

    public async Task CountyAsync(string county, Random random)
    {
        // The registry, through the import the API and the command line use.
        await using (var session = Session(county, "gen-po", Roles.PovertyOffice))
        {
            foreach (var file in new[] { "towns.csv", "villages.csv", "units.csv", "pairings.csv" })
            {
                var csv = File.ReadAllText(Path.Combine(registryFolder, file)).Replace(Counties.Xinfeng, county);
                var plan = await ImportRegistry.PlanAsync(csv, session, new DateTimeOffset(FirstYear, 3, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);
                if (!plan.IsValid) throw new InvalidOperationException($"{file}: {plan.Errors[0].Reason}");
                ImportRegistry.Append(plan, session);
                await session.SaveChangesAsync();
            }
        }
        var villages = File.ReadLines(Path.Combine(registryFolder, "villages.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => new Village(f[0].Replace(Counties.Xinfeng, county), f[1].Replace(Counties.Xinfeng, county), f[3] == "relatively-poor")).ToList();
        var towns = villages.Select(v => v.Town).Distinct().ToList();
        var decisions = await HouseholdsAsync(county, villages, random);
        for (var year = FirstYear; year <= LastYear; year++)
            await InspectionYearAsync(county, year, towns, villages, decisions, random);
    }

    private sealed record Enrolled(Guid Decision, string Household, string Town, string Village, int People);

    private async Task<List<Enrolled>> HouseholdsAsync(string county, List<Village> villages, Random random)
    {
        var enrolled = new List<Enrolled>();
        await using var session = Session(county, "gen-po", Roles.PovertyOffice);
        foreach (var village in villages.Where(v => v.Poor))
        {
            for (var n = 1; n <= HouseholdsPerPoorVillage; n++)
            {
                var code = $"{village.Code}-{n:D3}";
                var id = RegisterHouseholdEndpoint.IdOf(county, code);
                var size = 1 + random.Next(6);
                var income = 2000m + random.Next(1800);
                var exitYear = random.NextDouble() < 0.8 ? 2018 + random.Next(3) : 0;
                if (exitYear > LastYear) exitYear = 0;
                var history = new List<object> { new HouseholdRegistered(id, code, village.Town, village.Code, "张*", size, null, null, new DateOnly(FirstYear, 3, 1)) };
                for (var year = FirstYear; year <= LastYear; year++)
                {
                    var lifted = exitYear > 0 && year >= exitYear;
                    var yearIncome = lifted ? 4500m + random.Next(4000) : income + (year - FirstYear) * 150;
                    history.Add(new HouseholdAssessed(id, code, village.Town, village.Code, year, yearIncome,
                        new ThreeGuarantees(true, true, lifted || random.NextDouble() < 0.7), size, new DateOnly(year, 3, 15)));
                }
                session.Events.StartStream<Household>(id, history.ToArray());

                var entry = Guid.CreateVersion7();
                session.Events.StartStream<IdentificationDecision>(entry, Decision(entry, DecisionKind.Entry, FirstYear, village, id, code, size, income).ToArray());
                enrolled.Add(new Enrolled(entry, code, village.Town, village.Code, size));
                if (exitYear > 0)
                {
                    var exit = Guid.CreateVersion7();
                    session.Events.StartStream<IdentificationDecision>(exit, Decision(exit, DecisionKind.Exit, exitYear, village, id, code, size, 5000m).ToArray());
                }
            }
            await session.SaveChangesAsync();
        }
        return enrolled;
    }

    /// <summary>A household decision recorded step by step as the procedure says, two weeks apart, notices of 8 days.</summary>
    private static IEnumerable<object> Decision(Guid id, DecisionKind kind, int year, Village village, Guid household, string code, int people, decimal income)
    {
        var date = new DateOnly(year, 4, 1);
        yield return new DecisionOpened(id, DecisionSubject.Household, kind, year, village.Town, village.Code, household, code, people,
            new DecisionBasis(income, new ThreeGuarantees(true, true, true), null, null), 7, date);
        foreach (var step in Procedures.For(DecisionSubject.Household, kind))
        {
            date = date.AddDays(14);
            var notice = Procedures.IsNotice(step);
            yield return new DecisionStepRecorded(id, DecisionSubject.Household, kind, year, village.Town, village.Code, household, step, date,
                step == DecisionStep.DemocraticReview ? 25 : null, step == DecisionStep.DemocraticReview ? 30 : null,
                notice ? date : null, notice ? date.AddDays(8) : null, notice ? 0 : null, null, Photo, "gen-po");
            if (notice) date = date.AddDays(8);
        }
    }

    private async Task InspectionYearAsync(string county, int year, List<string> towns, List<Village> villages, List<Enrolled> enrolled, Random random)
    {
        var inspection = Guid.CreateVersion7();
        var start = new DateOnly(year, 7, 1);
        var leader = new TeamMember("gen-leader", "督查组长", "czj", null);
        var units = towns.Select(t => $"wt-{t[^3..]}").ToList();
        var severities = new[] { Severity.Minor, Severity.Minor, Severity.Minor, Severity.Serious, Severity.Serious, Severity.Grave };
        var cases = new List<(Guid Id, string Town, Severity Severity)>();
        var required = new List<(Guid Id, string Town)>();

        await using (var session = Session(county, "gen-leader", Roles.Inspector))
        {
            session.Events.StartStream<Inspection>(inspection,
                new InspectionPlanned(inspection, InspectionKind.Comprehensive, null, year, towns, units, Enum.GetValues<ContentArea>(),
                    [new Responsibility("综合督查", "督查组组长")], ["每个镇至少走访3个村"], start, start.AddDays(30), false, null, start.AddDays(-14)),
                new InspectionTeamFormed(inspection, year, leader, [new TeamMember("gen-member", "督查组员", "sjj", null)], start.AddDays(-7)),
                new InspectionFieldworkStarted(inspection, year, InspectionKind.Comprehensive, towns, units, start));

            foreach (var village in villages)
            {
                for (var f = random.Next(4); f > 0; f--)
                {
                    var id = Guid.CreateVersion7();
                    var severity = severities[random.Next(severities.Length)];
                    var observed = start.AddDays(random.Next(20));
                    var history = new List<object>
                    {
                        new FindingRecorded(id, inspection, year, village.Town, null, village.Code, (ContentArea)(1 + random.Next(8)),
                            (InspectionMethod)random.Next(10), $"{year}年督查发现：示例问题描述（生成数据）", severity, Photo, "gen-leader", observed),
                    };
                    if (random.NextDouble() < 0.1)
                        history.Add(new FindingAmended(id, inspection, year, village.Town, null, village.Code, "补充核实", null, Severity.Serious, null, null, [], observed.AddDays(2)));
                    if (severity != Severity.Minor || random.NextDouble() < 0.2)
                    {
                        Rectify(history, id, inspection, year, village, start.AddDays(45), random);
                        required.Add((id, village.Town));
                    }
                    session.Events.StartStream<Case>(id, history.ToArray());
                    cases.Add((id, village.Town, severity));
                }
            }
            foreach (var town in towns)
            {
                for (var c = 0; c < 3; c++)
                {
                    var id = Guid.CreateVersion7();
                    var idle = random.NextDouble() < 0.2;
                    var allocated = 100_000m * (1 + random.Next(20));
                    var spent = idle ? allocated * 0.4m : allocated * 0.95m;
                    session.Events.StartStream<Case>(id, new FundingCheckRecorded(id, inspection, year, town, null, null, "财政专项扶贫资金",
                        (FundSourceLevel)random.Next(4), "产业帮扶项目", allocated, allocated, spent, new DateOnly(year, 3, 1),
                        idle ? [FundIrregularity.Idle] : [], idle ? 5 : null, null, idle ? Severity.Serious : null, InspectionMethod.DocumentReview, null,
                        Photo, "gen-leader", start.AddDays(10)));
                    cases.Add((id, town, Severity.Minor));
                }
                var sample = enrolled.Where(e => e.Town == town).OrderBy(_ => random.Next()).Take(3);
                foreach (var e in sample)
                {
                    var id = Guid.CreateVersion7();
                    var wrong = random.NextDouble() < 0.05;
                    session.Events.StartStream<Case>(id, new IdentificationReviewed(id, inspection, year, e.Town, null, e.Village, e.Decision,
                        DecisionKind.Entry, e.Household, e.People, null, wrong ? ReviewVerdict.WronglyEnrolled : ReviewVerdict.Correct,
                        wrong ? "收入超标仍纳入" : "识别准确", wrong ? Severity.Serious : null, InspectionMethod.IndividualInterview, Photo, "gen-leader",
                        start.AddDays(12)));
                }
                var survey = Guid.CreateVersion7();
                var asked = 30 + random.Next(20);
                session.Events.StartStream(survey, new PublicApprovalSurveyed(survey, inspection, year, town, null, asked,
                    asked - random.Next(4), "gen-leader", start.AddDays(15)));
            }
            await session.SaveChangesAsync();
        }

        await using (var session = Session(county, "gen-io", Roles.InspectionOffice))
        {
            session.Events.Append(inspection, new InspectionReportSubmitted(inspection, year, "督查情况（生成数据）",
                cases.Where(c => c.Severity != Severity.Minor).Select(c => new ReportProblem(c.Id, "问题摘要")).ToList(),
                "督查意见", "整改建议", "gen-leader", start.AddDays(31)));
            foreach (var town in towns)
                session.Events.Append(inspection, new InspectionResultsNotified(inspection, year, town, null, "督查结果通报",
                    random.NextDouble() < 0.3 ? ["产业帮扶成效明显"] : [], required.Where(r => r.Town == town).Select(r => r.Id).ToList(), start.AddDays(40)));
            await session.SaveChangesAsync();
        }
    }

    /// <summary>Most requirements are answered and accepted on time; some late, some returned once, a few extended, a few still open.</summary>
    private static void Rectify(List<object> history, Guid id, Guid inspection, int year, Village village, DateOnly deadline, Random random)
    {
        var notified = deadline.AddDays(-35);
        history.Add(new RectificationRequired(id, inspection, year, village.Town, null, village.Code, village.Town, null, "限期整改", deadline, notified));
        var roll = random.NextDouble();
        if (roll < 0.05) return; // still open
        if (roll < 0.10)
        {
            history.Add(new RectificationExtensionRequested(id, inspection, year, village.Town, null, village.Code, deadline.AddDays(30), "需跨年度实施", "gen-town", deadline.AddDays(-5)));
            history.Add(new RectificationExtensionGranted(id, inspection, year, village.Town, null, village.Code, deadline, deadline.AddDays(30), null, deadline.AddDays(-3)));
            deadline = deadline.AddDays(30);
        }
        var answered = deadline.AddDays(-random.Next(20));
        history.Add(new RectificationResponded(id, inspection, year, village.Town, null, village.Code, "已完成整改", Photo, "gen-town", false, answered));
        if (roll < 0.20)
        {
            history.Add(new RectificationReturned(id, inspection, year, village.Town, null, village.Code, "整改不到位", answered.AddDays(3)));
            answered = answered.AddDays(10);
            history.Add(new RectificationResponded(id, inspection, year, village.Town, null, village.Code, "再次整改", Photo, "gen-town", false, answered));
        }
        var accepted = answered.AddDays(2);
        history.Add(new RectificationAccepted(id, inspection, year, village.Town, null, village.Code, null, accepted, deadline, accepted > deadline));
    }
}
