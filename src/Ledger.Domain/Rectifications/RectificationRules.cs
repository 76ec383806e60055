using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>Rules every step of the rectification loop shares.</summary>
public static class RectificationRules
{
    /// <summary>The respondent of the responsible town or unit, or the poverty office on its behalf.</summary>
    public static bool MayAnswerFor(Caller caller, Rectification requirement) =>
        caller.Role == Roles.PovertyOffice || AccessRules.AnswersForRequirement(caller, requirement.ResponsibleTown, requirement.ResponsibleUnit);

    /// <summary>A rectification's id is its case's id: a case without a requirement is no rectification.</summary>
    public static Refusal NoRequirement(Case current) => Refusal.NotFound($"case {current.Id} has no rectification requirement");
}
