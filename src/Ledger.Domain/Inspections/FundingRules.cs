using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

/// <summary>The rules a funding check's figures must keep (Art. 9 item 7).</summary>
public static class FundingRules
{
    public static string Describe(string fund, string project) => $"资金检查：{fund} / {project}";

    /// <summary>
    /// The severity a funding problem gets when the inspector states none: fraud or diversion is
    /// grave (严重), money in a personal account serious (较重), idle or undisclosed funds minor (一般).
    /// </summary>
    public static Severity? DefaultSeverity(IReadOnlyCollection<FundIrregularity> irregularities) =>
        irregularities.Count == 0 ? null
        : irregularities.Contains(FundIrregularity.Fraud) || irregularities.Contains(FundIrregularity.Diverted) ? Severity.Grave
        : irregularities.Contains(FundIrregularity.PersonalAccount) ? Severity.Serious
        : Severity.Minor;

    /// <summary>
    /// The months idle after an amendment: a new list of irregularities brings its own idleMonths
    /// (or none); otherwise a new idleMonths replaces the old one.
    /// </summary>
    public static int? IdleMonthsAfter(int? current, IReadOnlyList<FundIrregularity>? newIrregularities, int? newIdleMonths) =>
        newIrregularities is null ? newIdleMonths ?? current : newIdleMonths;

    /// <summary>Checks the figures as they will stand (after an amendment, the merged figures).</summary>
    public static void Check(Checks checks, decimal arrived, decimal spent,
        IReadOnlyCollection<FundIrregularity> irregularities, int? idleMonths, string? overspendReason)
    {
        if (spent > arrived && string.IsNullOrWhiteSpace(overspendReason))
            checks.Add($"spent ({spent:0.00}) is more than arrived ({arrived:0.00}): state the reason in overspendReason");
        if (irregularities.Contains(FundIrregularity.Idle))
            checks.That(idleMonths is >= 1 and <= 600, "idle funds (资金闲置) need idleMonths, 1 to 600");
        else
            checks.That(idleMonths is null, "idleMonths is only for idle funds (资金闲置)");
        checks.That(irregularities.Distinct().Count() == irregularities.Count, "an irregularity is listed twice");
        checks.Text(overspendReason, "overspendReason", Checks.LongText, required: false);
    }
}
