using Ledger.Domain.Common;

namespace Ledger.Domain.Identification;

/// <summary>
/// The procedure each kind of decision must follow, step by step, none merged or skipped
/// (DOMAIN.md, "Identification procedure"), and the checks of what was recorded against it.
/// </summary>
public static class Procedures
{
    private static readonly Dictionary<(DecisionSubject, DecisionKind), DecisionStep[]> Steps = new()
    {
        [(DecisionSubject.Household, DecisionKind.Entry)] =
        [
            DecisionStep.Application, DecisionStep.DemocraticReview, DecisionStep.VillageNotice, DecisionStep.TownReview,
            DecisionStep.SecondNotice, DecisionStep.CountyApproval, DecisionStep.RegistryEntry,
        ],
        [(DecisionSubject.Household, DecisionKind.Exit)] =
        [
            DecisionStep.DemocraticReview, DecisionStep.Verification, DecisionStep.HouseholdConsent, DecisionStep.VillageNotice,
            DecisionStep.CountyApproval, DecisionStep.RegistryRemoval,
        ],
        [(DecisionSubject.Village, DecisionKind.Entry)] =
            [DecisionStep.Application, DecisionStep.TownReview, DecisionStep.CountyApproval, DecisionStep.RegistryEntry],
        [(DecisionSubject.Village, DecisionKind.Exit)] =
            [DecisionStep.Verification, DecisionStep.TownReview, DecisionStep.CountyApproval, DecisionStep.RegistryRemoval],
    };

    public static IReadOnlyList<DecisionStep> For(DecisionSubject subject, DecisionKind kind) => Steps[(subject, kind)];

    /// <summary>The last step: once recorded, the decision is complete.</summary>
    public static DecisionStep Final(DecisionSubject subject, DecisionKind kind) => Steps[(subject, kind)][^1];

    public static bool IsNotice(DecisionStep step) => step is DecisionStep.VillageNotice or DecisionStep.SecondNotice;

    /// <summary>Every procedural problem in the steps recorded so far.</summary>
    public static IEnumerable<DecisionProblem> Check(
        DecisionSubject subject, DecisionKind kind, IReadOnlyList<DecisionStepRecorded> recorded, int minimumNoticeDays)
    {
        var procedure = For(subject, kind);
        var byStep = recorded.ToDictionary(r => r.Step);
        var lastRecorded = procedure.Select((s, i) => (s, i)).Where(x => byStep.ContainsKey(x.s)).Select(x => x.i).DefaultIfEmpty(-1).Max();

        for (var i = 0; i < lastRecorded; i++)
            if (!byStep.ContainsKey(procedure[i]))
            {
                var later = procedure.Skip(i + 1).First(byStep.ContainsKey);
                yield return new DecisionProblem($"skipped:{Codes.CodeOf(procedure[i])}",
                    $"跳过步骤“{Codes.LabelOf(procedure[i])}”：已办理后续步骤“{Codes.LabelOf(later)}” (step skipped)");
            }

        var inOrder = procedure.Where(byStep.ContainsKey).Select(s => byStep[s]).ToList();
        for (var i = 0; i < inOrder.Count; i++)
            for (var j = i + 1; j < inOrder.Count; j++)
            {
                var (a, b) = (inOrder[i], inOrder[j]);
                if (b.Date < a.Date)
                    yield return new DecisionProblem($"out-of-order:{Codes.CodeOf(b.Step)}",
                        $"“{Codes.LabelOf(b.Step)}”({b.Date:yyyy-MM-dd}) 早于前序步骤“{Codes.LabelOf(a.Step)}”({a.Date:yyyy-MM-dd}) (steps out of order)");
                else if (b.Date == a.Date)
                    yield return new DecisionProblem($"merged:{Codes.CodeOf(a.Step)}+{Codes.CodeOf(b.Step)}",
                        $"“{Codes.LabelOf(a.Step)}”与“{Codes.LabelOf(b.Step)}”同日（{a.Date:yyyy-MM-dd}）办理，疑似合并 (two steps merged on one date)");
            }

        foreach (var step in inOrder)
        {
            if (step.Step == DecisionStep.DemocraticReview && step.Attended is { } present && step.Eligible is { } eligible
                && eligible > 0 && (decimal)present / eligible < Standards.MinimumAttendance)
                yield return new DecisionProblem("low-attendance",
                    $"民主评议到会代表 {present}/{eligible}，不足三分之二 (attendance under two thirds)");
            if (IsNotice(step.Step) && step.NoticeStart is { } start && step.NoticeEnd is { } end)
            {
                var days = end.DayNumber - start.DayNumber + 1;
                if (days < minimumNoticeDays)
                    yield return new DecisionProblem($"short-notice:{Codes.CodeOf(step.Step)}",
                        $"“{Codes.LabelOf(step.Step)}”公示 {days} 天，少于规定的 {minimumNoticeDays} 天 (notice shorter than the county's minimum)");
                if (step.Objections is > 0)
                    yield return new DecisionProblem($"objections:{Codes.CodeOf(step.Step)}",
                        $"“{Codes.LabelOf(step.Step)}”公示期间收到异议 {step.Objections} 件 (objections during the notice)");
            }
        }
    }
}
