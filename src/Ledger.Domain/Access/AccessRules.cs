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

    public static bool CanRead(Caller caller, Inspection inspection) =>
        ReadsAll(caller)
        || (caller.Role == Roles.Inspector && inspection.IsOnTeam(caller.User))
        || (caller.Role == Roles.Respondent && caller.Scope is { } scope
            && (inspection.TownCodes.Contains(scope) || inspection.UnitCodes.Contains(scope)));

    public static bool CanRead(Caller caller, Case @case, Inspection? inspection) =>
        ReadsAll(caller)
        || (caller.Role == Roles.Inspector && inspection is not null && inspection.IsOnTeam(caller.User))
        || (caller.Role == Roles.Respondent && caller.Scope is { } scope
            && (@case.TownCode == scope || @case.UnitCode == scope));

    /// <summary>Findings and funding checks are recorded by the inspection's own team.</summary>
    public static bool CanRecord(Caller caller, Inspection inspection) =>
        caller.Role == Roles.Inspector && inspection.IsOnTeam(caller.User);

    /// <summary>Corrections come from the inspection's team or the inspection office.</summary>
    public static bool CanCorrect(Caller caller, Inspection inspection) =>
        caller.Role == Roles.InspectionOffice || CanRecord(caller, inspection);
}
