using Ledger.Domain.Inspections;

namespace Ledger.Domain.Access;

/// <summary>
/// Scope rules beyond the role: which inspections and cases a caller may see or write to.
/// The offices and reviewers see the whole county; an inspector sees the inspections whose team
/// they are on; a respondent sees what concerns its own town or unit.
/// </summary>
public static class AccessRules
{
    public static bool ReadsAll(Caller caller) =>
        caller.Role is Roles.InspectionOffice or Roles.PovertyOffice or Roles.Reviewer;

    /// <summary>An inspection: the offices and reviewers, its team, and the towns and units it covers.</summary>
    public static bool CanRead(Caller caller, IInspectionScope inspection) =>
        ReadsAll(caller)
        || (caller.Role == Roles.Inspector && TeamRules.IsOnTeam(inspection, caller.User))
        || (caller.Role == Roles.Respondent && caller.Scope is { } scope
            && (inspection.TownCodes.Contains(scope) || inspection.UnitCodes.Contains(scope)));

    /// <summary>A case (of a town and/or unit): the offices and reviewers, its inspection's team, and that town or unit.</summary>
    public static bool CanReadCase(Caller caller, string? townCode, string? unitCode, IInspectionScope? inspection) =>
        ReadsAll(caller)
        || (caller.Role == Roles.Inspector && inspection is not null && TeamRules.IsOnTeam(inspection, caller.User))
        || (caller.Role == Roles.Respondent && caller.Scope is { } scope
            && (townCode == scope || unitCode == scope));

    /// <summary>The draft of a report is for the offices, reviewers and the inspection's team.</summary>
    public static bool CanReadDraft(Caller caller, IInspectionScope inspection) =>
        ReadsAll(caller) || (caller.Role == Roles.Inspector && TeamRules.IsOnTeam(inspection, caller.User));

    /// <summary>A rectification requirement: whoever reads the board, a respondent only when it answers for it.</summary>
    public static bool CanReadRequirement(Caller caller, string responsible) =>
        !SeesOwnScopeOnly(caller) || caller.Scope == responsible;

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
