using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Reports;

/// <summary>
/// 情况报告: the situation, the problems (cases of this inspection), opinions and suggestions; optionally the
/// practices and results (主要做法和成效) and the report's date as the leader gives it (not after today).
/// </summary>
public sealed record SubmitReport(long? ExpectedVersion, string? Situation, IReadOnlyList<ReportProblem>? Problems, string? Opinions, string? Suggestions,
    DateOnly? ReportedOn = null, string? Achievements = null)
    : IVersionedCommand
{
    public const int ReportText = 50_000;

    /// <summary>The cases the report names (to be read from their streams before deciding).</summary>
    public IReadOnlyList<Guid> NamedCases() => (Problems ?? []).Where(p => p is not null).Select(p => p.CaseId).Distinct().ToList();

    /// <summary>
    /// The team leader submits the report after the field work. <paramref name="named"/> holds the
    /// cases it names that exist (any inspection's): each must be an open problem of this one.
    /// </summary>
    public Decision Decide(Inspection inspection, IReadOnlyDictionary<Guid, Case> named, Caller caller, DateOnly today)
    {
        if (!inspection.IsLeader(caller.User))
            return Refusal.Forbidden("the team leader (组长) submits the report: 组长负责制");
        var checks = new Checks();
        checks.Text(Situation, "situation", ReportText);
        checks.Text(Opinions, "opinions", ReportText);
        checks.Text(Suggestions, "suggestions", ReportText, required: false);
        checks.Text(Achievements, "achievements", ReportText, required: false);
        checks.That(ReportedOn is null || ReportedOn <= today, "reportedOn is after today: a report is dated the day it is written, at the latest today");
        var problems = Problems ?? [];
        for (var i = 0; i < problems.Count; i++)
        {
            var problem = problems[i];
            if (problem is null) { checks.Add($"problems[{i}] is empty"); continue; }
            checks.Text(problem.Summary, $"problems[{i}].summary", Checks.LongText);
            if (!named.TryGetValue(problem.CaseId, out var known) || known.InspectionId != inspection.Id)
                checks.Add($"problems[{i}]: case {problem.CaseId} is not a record of this inspection");
            else checks.That(known.IsProblem, $"problems[{i}]: case {problem.CaseId} is not an open problem (withdrawn, or a check without irregularities)");
        }
        checks.That(problems.Select(p => p?.CaseId).Distinct().Count() == problems.Count, "a case is named twice among the problems");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"a report follows the field work; the inspection is {Codes.LabelOf(inspection.Status)}");
        return Decision.Accept(new InspectionReportSubmitted(inspection.Id, inspection.Year, Situation!.Trim(),
            problems.Select(p => p with { Summary = p.Summary.Trim() }).ToList(), Opinions!.Trim(),
            Suggestions?.Trim() ?? "", caller.User, today, ReportedOn, string.IsNullOrWhiteSpace(Achievements) ? null : Achievements.Trim()));
    }
}
