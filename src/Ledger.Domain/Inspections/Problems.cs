using Ledger.Domain.Identification;

namespace Ledger.Domain.Inspections;

/// <summary>
/// The one home of "is this case a problem to be put right": an open finding; an open funding check
/// with at least one irregularity (content area 7); an open identification review with any verdict
/// but correct (content area 4).
/// </summary>
public static class Problems
{
    public static bool IsProblem(bool open, CaseKind kind, int irregularities, ReviewVerdict? verdict) => open && kind switch
    {
        CaseKind.Finding => true,
        CaseKind.FundingCheck => irregularities > 0,
        _ => verdict is not null and not ReviewVerdict.Correct,
    };
}
