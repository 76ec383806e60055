using Ledger.Domain.Inspections;

namespace Ledger.Domain.Access;

/// <summary>
/// Scope rules beyond the role: which records a caller may see or write to, and how much of a shared
/// record (an inspection covering several towns) they see. The offices and reviewers see the whole
/// county; an inspector sees the inspections whose team they are on, whole; a respondent sees what
/// concerns its own town or unit (typed, <see cref="Scope"/>) and, of an inspection covering others,
/// only its own problems and notifications. Every read and write applies these; the database
/// conditions in the API (ReadScopes) mirror them one to one.
/// </summary>
public static class AccessRules
{
    public static bool ReadsAll(Caller caller) =>
        caller.Role is Roles.InspectionOffice or Roles.PovertyOffice or Roles.Reviewer;

    /// <summary>Is the caller a respondent whose scope covers this town and/or unit?</summary>
    public static bool Covers(Caller caller, string? townCode, string? unitCode) => caller.AnswersFor(townCode, unitCode);

    /// <summary>
    /// An inspection: the offices and reviewers, its team, and the towns and units it covers — these
    /// only once it is <see cref="VisibleToInspected">visible to the inspected</see>.
    /// </summary>
    public static bool CanRead(Caller caller, IInspectionScope inspection) =>
        SeesWholeInspection(caller, inspection)
        || (caller.Role == Roles.Respondent && caller.Scope is { } scope
            && (scope.Kind == ScopeKind.Town ? inspection.TownCodes.Contains(scope.Code) : inspection.UnitCodes.Contains(scope.Code))
            && VisibleToInspected(caller, inspection));

    /// <summary>
    /// Visibility follows the inspection (Art. 4, 12): an inspected town or unit sees an inspection once
    /// field work has started, and one planned as unannounced (暗访/随机访) only once its results are
    /// notified to it — never its plan, dates or team before.
    /// </summary>
    public static bool VisibleToInspected(Caller caller, IInspectionScope inspection) =>
        inspection.Unannounced
            ? NotifiedTo(caller, inspection)
            : inspection.Status is not (InspectionStatus.Planned or InspectionStatus.TeamFormed);

    /// <summary>Have the inspection's results been notified to the caller's own town or unit?</summary>
    public static bool NotifiedTo(Caller caller, IInspectionScope inspection) =>
        inspection.NotifiedRecipients.Any(r => Covers(caller, r.Town, r.Unit));

    /// <summary>
    /// The whole of an inspection (every problem of its report, every notification): the offices,
    /// reviewers and its team. Anyone else who may read it sees it trimmed to their own scope.
    /// </summary>
    public static bool SeesWholeInspection(Caller caller, IInspectionScope inspection) =>
        ReadsAll(caller) || (caller.Role == Roles.Inspector && TeamRules.IsOnTeam(inspection, caller.User));

    /// <summary>
    /// A case (of a town and/or unit): the offices and reviewers, its inspection's team, and that town or
    /// unit once the inspection's results have been notified to it (a finding is not the inspected's to
    /// see while the team is still at work or the report is being written, Art. 12).
    /// </summary>
    public static bool CanReadCase(Caller caller, string? townCode, string? unitCode, IInspectionScope? inspection) =>
        ReadsAll(caller)
        || (caller.Role == Roles.Inspector && inspection is not null && TeamRules.IsOnTeam(inspection, caller.User))
        || (Covers(caller, townCode, unitCode) && inspection is not null && NotifiedTo(caller, inspection));

    /// <summary>
    /// The report as this caller may read it: whole for those who see the whole inspection, otherwise
    /// only the problems whose case concerns the caller (<paramref name="caseScopes"/>: each named case's
    /// town and unit; a case not found there is left out). The situation, opinions and suggestions are
    /// the report's own text, addressed to every inspected town and unit, and stay.
    /// </summary>
    public static InspectionReportSubmitted ReportFor(Caller caller, IInspectionScope inspection, InspectionReportSubmitted report,
        IReadOnlyDictionary<Guid, (string? Town, string? Unit)> caseScopes) =>
        SeesWholeInspection(caller, inspection)
            ? report
            : report with
            {
                Problems = report.Problems
                    .Where(p => caseScopes.TryGetValue(p.CaseId, out var at) && CanReadCase(caller, at.Town, at.Unit, inspection))
                    .ToList(),
            };

    /// <summary>A notification of results: for those who see the whole inspection, and for the town or unit it was sent to.</summary>
    public static bool CanReadNotification(Caller caller, IInspectionScope inspection, InspectionResultsNotified notification) =>
        SeesWholeInspection(caller, inspection) || Covers(caller, notification.TownCode, notification.UnitCode);

    /// <summary>The draft of a report is for the offices, reviewers and the inspection's team.</summary>
    public static bool CanReadDraft(Caller caller, IInspectionScope inspection) => SeesWholeInspection(caller, inspection);

    /// <summary>
    /// A rectification requirement: whoever reads the board, a respondent only when it answers for it
    /// (the responsible town, or the responsible unit when no town is).
    /// </summary>
    public static bool CanReadRequirement(Caller caller, string? responsibleTown, string? responsibleUnit) =>
        !SeesOwnScopeOnly(caller) || AnswersForRequirement(caller, responsibleTown, responsibleUnit);

    /// <summary>The respondent a requirement names: its responsible town, or its responsible unit when it names no town.</summary>
    public static bool AnswersForRequirement(Caller caller, string? responsibleTown, string? responsibleUnit) =>
        responsibleTown is not null ? Covers(caller, responsibleTown, null) : Covers(caller, null, responsibleUnit);

    /// <summary>A town's own figures (accountability, accuracy, assessment): the offices and reviewers, and that town.</summary>
    public static bool CanReadTown(Caller caller, string townCode) => ReadsAll(caller) || Covers(caller, townCode, null);

    /// <summary>A unit's own figures: the offices and reviewers, and that unit.</summary>
    public static bool CanReadUnit(Caller caller, string unitCode) => ReadsAll(caller) || Covers(caller, null, unitCode);

    /// <summary>A village's profile: the offices and reviewers, its town, and the units paired with it.</summary>
    public static bool CanReadVillage(Caller caller, string townCode, IEnumerable<string> pairedUnits) =>
        ReadsAll(caller) || Covers(caller, townCode, null) || pairedUnits.Any(u => Covers(caller, null, u));

    /// <summary>
    /// An identification decision or a household (both belong to a town): the offices and reviewers,
    /// inspectors (who review decisions), and that town's respondent.
    /// </summary>
    public static bool CanReadTownRecord(Caller caller, string townCode) =>
        ReadsAll(caller) || caller.Role == Roles.Inspector || Covers(caller, townCode, null);

    /// <summary>
    /// An issued document (公文): the offices and reviewers; an inspector on the team of an inspection it
    /// is about (<paramref name="onTeam"/>); a respondent when the document is addressed to its own town
    /// or unit. Anyone else is answered as if it did not exist.
    /// </summary>
    public static bool CanReadDocument(Caller caller, IReadOnlyList<string> recipientTowns, IReadOnlyList<string> recipientUnits, bool onTeam) =>
        ReadsAll(caller)
        || (caller.Role == Roles.Inspector && onTeam)
        || recipientTowns.Any(t => Covers(caller, t, null)) || recipientUnits.Any(u => Covers(caller, null, u));

    /// <summary>Only an inspector sees cases by team: the others by role or by their own town or unit.</summary>
    public static bool SeesCasesByTeam(Caller caller) => caller.Role == Roles.Inspector;

    /// <summary>A respondent sees only the cases (and requirements) of its own town or unit.</summary>
    public static bool SeesOwnScopeOnly(Caller caller) => caller.Role == Roles.Respondent;

    /// <summary>Findings and funding checks are recorded by the inspection's own team.</summary>
    public static bool CanRecord(Caller caller, Inspection inspection) =>
        caller.Role == Roles.Inspector && inspection.IsOnTeam(caller.User);

    /// <summary>Corrections come from the inspection's team or the inspection office.</summary>
    public static bool CanCorrect(Caller caller, Inspection inspection) =>
        caller.Role == Roles.InspectionOffice || CanRecord(caller, inspection);
}
