using Ledger.Domain.Common;

namespace Ledger.Domain.Identification;

/// <summary>
/// The write model of an identification or exit decision (kept as an inline snapshot). Every
/// step is recorded as it really happened; the problems the ledger sees are kept beside them.
/// </summary>
public sealed record IdentificationDecision(
    Guid Id, DecisionSubject Subject, DecisionKind Kind, int Year, string TownCode, string VillageCode,
    Guid? HouseholdId, string? HouseholdCode, int People, DecisionBasis Basis, int MinimumNoticeDays, DateOnly OpenedOn,
    IReadOnlyList<DecisionStepRecorded> Steps, DecisionState State, IReadOnlyList<DecisionProblem> Problems)
{
    public long Version { get; set; }
    public bool HasProblems { get; init; }

    public string SubjectLabel => Codes.LabelOf(Subject);
    public string KindLabel => Codes.LabelOf(Kind);
    public string StateLabel => Codes.LabelOf(State);
    public IReadOnlyList<CodeLabel> Procedure => Procedures.For(Subject, Kind).Select(Codes.Describe).ToList();
    public IReadOnlyList<CodeLabel> StepsToGo => Procedures.For(Subject, Kind)
        .Where(s => Steps.All(r => r.Step != s)).Select(Codes.Describe).ToList();

    public static IdentificationDecision Create(DecisionOpened e) => new IdentificationDecision(
        e.DecisionId, e.Subject, e.Kind, e.Year, e.TownCode, e.VillageCode, e.HouseholdId, e.HouseholdCode, e.People,
        e.Basis, e.MinimumNoticeDays, e.OpenedOn, [], DecisionState.InProgress, []).Checked();

    public IdentificationDecision Apply(DecisionStepRecorded e) => (this with
    {
        Steps = [.. Steps, e],
        State = e.Step == Procedures.Final(Subject, Kind) ? DecisionState.Completed : State,
    }).Checked();

    private IdentificationDecision Checked()
    {
        var problems = Standards.Check(Subject, Kind, Year, Basis)
            .Concat(Procedures.Check(Subject, Kind, Steps, MinimumNoticeDays)).ToList();
        return this with { Problems = problems, HasProblems = problems.Count > 0 };
    }
}
