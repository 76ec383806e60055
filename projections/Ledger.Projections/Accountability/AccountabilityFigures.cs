using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;

namespace Ledger.Projections.Accountability;

public sealed record InspectionLine(Guid Id, InspectionKind Kind, string KindLabel, string? Topic, DateOnly PlannedStart, bool InField);

public sealed record AreaLine(ContentArea Area, int Number, string AreaLabel, int Minor, int Serious, int Grave, int Total);

public sealed record FindingFigures(int Total, int Minor, int Serious, int Grave, IReadOnlyList<AreaLine> ByArea);

/// <summary>
/// Money examined in the funding checks (yuan): checks, allocated, arrived and spent; <c>Idle</c> is
/// arrived-but-unspent money in checks flagged idle (资金闲置); <c>Misused</c> is the money that arrived
/// in checks flagged diverted, obtained by fraud or held in a personal account.
/// </summary>
public sealed record FundingFigures(int Checks, decimal Allocated, decimal Arrived, decimal Spent, decimal Idle, decimal Misused);

public sealed record RectificationFigures(int Issued, int Open, int Overdue, int ClosedOnTime, int ClosedLate, int ReturnedAtLeastOnce);

public sealed record VillageLine(string Code, int Records, int Problems, int RequirementsOpen, int Overdue);

/// <summary>The figures of one accountability view at a given day.</summary>
public sealed record AccountabilityFiguresAnswer(
    IReadOnlyList<InspectionLine> Inspections, bool ComprehensiveCovered, FindingFigures Findings, FundingFigures Funding,
    AccuracyFigures Accuracy, RectificationFigures Rectification, IReadOnlyList<CommendationRow> Commendations,
    IReadOnlyList<VillageLine> Villages);

/// <summary>Turns the rows of a view into the figures people read. Pure: the day is given.</summary>
public static class AccountabilityFigures
{
    private static readonly FundIrregularity[] MisuseKinds = [FundIrregularity.Diverted, FundIrregularity.Fraud, FundIrregularity.PersonalAccount];

    public static AccountabilityFiguresAnswer Of(AccountabilityView view, IReadOnlyCollection<CaseRow> cases, DateOnly today)
    {
        var live = cases.Where(c => !c.Withdrawn).ToList();
        var problems = live.Where(c => c.IsProblem).ToList();
        var checks = live.Where(c => c.Kind == CaseKind.FundingCheck).ToList();
        var required = live.Where(c => c.Stage is not null).ToList();
        var reviews = live.Where(c => c.Kind == CaseKind.IdentificationReview).ToList();

        var inspections = view.Inspections.Values.OrderBy(i => i.PlannedStart)
            .Select(i => new InspectionLine(i.Id, i.Kind, Codes.LabelOf(i.Kind), i.Topic, i.PlannedStart, i.FieldworkStartedOn is not null)).ToList();

        return new AccountabilityFiguresAnswer(
            inspections,
            inspections.Any(i => i.Kind == InspectionKind.Comprehensive && i.InField),
            new FindingFigures(problems.Count, Count(problems, Severity.Minor), Count(problems, Severity.Serious), Count(problems, Severity.Grave),
                problems.GroupBy(p => p.Area).OrderBy(g => g.Key)
                    .Select(g => new AreaLine(g.Key, (int)g.Key, Codes.LabelOf(g.Key), Count(g, Severity.Minor), Count(g, Severity.Serious),
                        Count(g, Severity.Grave), g.Count())).ToList()),
            new FundingFigures(checks.Count, checks.Sum(c => c.Allocated), checks.Sum(c => c.Arrived), checks.Sum(c => c.Spent),
                checks.Where(c => c.Irregularities.Contains(FundIrregularity.Idle)).Sum(c => Math.Max(0, c.Arrived - c.Spent)),
                checks.Where(c => c.Irregularities.Any(MisuseKinds.Contains)).Sum(c => c.Arrived)),
            AccuracyRules.Compute(
                reviews.Select(r => new AccuracyRules.Review(r.DecisionKind, r.Verdict!.Value, r.People, r.VillageCode ?? "", r.UnregisteredPeopleInVillage)).ToList(),
                view.Surveys.Select(s => new AccuracyRules.Survey(s.Respondents, s.Approving)).ToList()),
            Rectification(required, today),
            view.Commendations,
            live.Where(c => c.VillageCode is not null).GroupBy(c => c.VillageCode!).OrderBy(g => g.Key)
                .Select(g => new VillageLine(g.Key, g.Count(), g.Count(c => c.IsProblem),
                    g.Count(c => c.Stage is not null and not RectificationStage.Closed),
                    g.Count(c => IsOverdue(c, today)))).ToList());
    }

    private static int Count(IEnumerable<CaseRow> rows, Severity severity) => rows.Count(r => r.Severity == severity);

    private static bool IsOverdue(CaseRow c, DateOnly today) => Deadlines.IsOverdue(c.Stage, c.Deadline, today);

    private static RectificationFigures Rectification(IReadOnlyList<CaseRow> required, DateOnly today) => new(
        required.Count,
        required.Count(c => c.Stage != RectificationStage.Closed),
        required.Count(c => IsOverdue(c, today)),
        required.Count(c => c.Stage == RectificationStage.Closed && !c.Late),
        required.Count(c => c.Stage == RectificationStage.Closed && c.Late),
        required.Count(c => c.Returns > 0));
}
