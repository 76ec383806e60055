using Ledger.Domain.Common;
using Ledger.Domain.Rectifications;

namespace Ledger.Domain.Inspections;

/// <summary>
/// The one home of the <c>status=</c> filter of case lists and the rectification board: a case status
/// (open, withdrawn) where the list accepts one, or a rectification colour (closed, overdue, due-soon,
/// on-track). Blank means no filter.
/// </summary>
public sealed record CaseStatusFilter(CaseStatus? Case, RectificationStatus? Rectification)
{
    public static readonly CaseStatusFilter None = new(null, null);

    /// <summary>Parses a status; <paramref name="error"/> says what is accepted when it is none of them.</summary>
    public static bool TryParse(string? text, bool caseStatuses, out CaseStatusFilter filter, out string? error)
    {
        filter = None;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (caseStatuses && Codes.TryParse<CaseStatus>(text, out var cs)) filter = new(cs, null);
        else if (Codes.TryParse<RectificationStatus>(text, out var rs)) filter = new(null, rs);
        else
        {
            error = caseStatuses
                ? $"status '{text}' is not one of: {Codes.Accepted<CaseStatus>()}, {Codes.Accepted<RectificationStatus>()}"
                : $"status '{text}' is not one of: {Codes.Accepted<RectificationStatus>()}";
            return false;
        }
        return true;
    }
}
