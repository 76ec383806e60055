using Ledger.Domain.Inspections;

namespace Ledger.Domain.Identification;

/// <summary>
/// One accuracy rate: numerator and denominator in people, the rate, its threshold and whether it is
/// met. A maximum (错退率 etc., "低于 2%") is met strictly below it; a minimum (群众认可度 "90%以上")
/// is met at or above it, since "X以上" includes X.
/// </summary>
public sealed record Rate(int Numerator, int Denominator, decimal? Value, decimal Threshold, bool ThresholdIsMaximum)
{
    public bool? Met => Value is null ? null : ThresholdIsMaximum ? Value < Threshold : Value >= Threshold;
}

/// <summary>
/// The thresholds of 三率一度, each a number with its source: the maxima of 错退率, 漏评率 and 错评 share
/// (met strictly below) and the minimum of 群众认可度 (met at or above: "90%以上" includes 90%).
/// </summary>
public sealed record AccuracyThresholds(CountySetting WrongExit, CountySetting Missed, CountySetting WrongEnrolment, CountySetting PublicApproval);

/// <summary>三率一度 of a town for a year, from the inspectors' reviews and approval surveys.</summary>
public sealed record AccuracyFigures(
    int Reviews, Rate WrongExit, Rate Missed, Rate WrongEnrolment, Rate PublicApproval);

/// <summary>
/// The accuracy measures (DOMAIN.md): 错退率 = wrongly exited people in the sample ÷ exited people in
/// the sample; 漏评率 = verified missed people ÷ unregistered rural people in the sampled villages;
/// 错评 share = wrongly enrolled people ÷ enrolled people in the sample; 群众认可度 = approving ÷ asked.
/// Withdrawn reviews do not count.
/// </summary>
public static class AccuracyRules
{
    public const decimal WrongExitMaximum = 0.02m;
    public const decimal MissedMaximum = 0.02m;
    public const decimal WrongEnrolmentMaximum = 0.02m;
    public const decimal ApprovalMinimum = 0.90m;

    /// <summary>Where the default thresholds come from.</summary>
    public const string DefaultSource = "DOMAIN.md（广东省考核口径）：错退率、漏评率低于2%，群众认可度90%以上；错评占比阈值2%为本系统默认值";

    /// <summary>The default thresholds, each with its source.</summary>
    public static readonly AccuracyThresholds Defaults = new(
        new("wrongExitMaximum", WrongExitMaximum, DefaultSource), new("missedMaximum", MissedMaximum, DefaultSource),
        new("wrongEnrolmentMaximum", WrongEnrolmentMaximum, DefaultSource), new("approvalMinimum", ApprovalMinimum, DefaultSource));

    public sealed record Review(DecisionKind? DecisionKind, ReviewVerdict Verdict, int People, string VillageCode, int? UnregisteredPeopleInVillage);
    public sealed record Survey(int Respondents, int Approving);

    /// <summary>The rates of the reviews and surveys, judged by <paramref name="thresholds"/> (null: <see cref="Defaults"/>).</summary>
    public static AccuracyFigures Compute(IReadOnlyList<Review> reviews, IReadOnlyList<Survey> surveys, AccuracyThresholds? thresholds = null)
    {
        var t = thresholds ?? Defaults;
        var exits = reviews.Where(r => r.DecisionKind == DecisionKind.Exit).ToList();
        var entries = reviews.Where(r => r.DecisionKind == DecisionKind.Entry).ToList();
        var unregistered = reviews.Where(r => r.DecisionKind is null).ToList();

        // The sample frame of 漏评: for each village sampled for missed households, the unregistered
        // rural people the inspectors counted there (the largest figure given for the village).
        var frame = unregistered.Where(r => r.UnregisteredPeopleInVillage is not null)
            .GroupBy(r => r.VillageCode).Sum(g => g.Max(r => r.UnregisteredPeopleInVillage!.Value));

        return new AccuracyFigures(
            reviews.Count,
            Of(exits.Where(r => r.Verdict == ReviewVerdict.WronglyExited).Sum(r => r.People), exits.Sum(r => r.People), t.WrongExit.Value, true),
            Of(unregistered.Where(r => r.Verdict == ReviewVerdict.Missed).Sum(r => r.People), frame, t.Missed.Value, true),
            Of(entries.Where(r => r.Verdict == ReviewVerdict.WronglyEnrolled).Sum(r => r.People), entries.Sum(r => r.People), t.WrongEnrolment.Value, true),
            Of(surveys.Sum(s => s.Approving), surveys.Sum(s => s.Respondents), t.PublicApproval.Value, false));
    }

    private static Rate Of(int numerator, int denominator, decimal threshold, bool maximum) =>
        new(numerator, denominator, denominator == 0 ? null : Math.Round((decimal)numerator / denominator, 4), threshold, maximum);
}
