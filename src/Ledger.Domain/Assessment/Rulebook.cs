using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Assessment;

/// <summary>An indicator group (指标组): its weight in the 100 points and the most it can lose.</summary>
public sealed record IndicatorGroup(string Code, string Name, decimal Weight, decimal Cap);

/// <summary>For one content area: the group its problems count against and the points per problem by severity.</summary>
public sealed record AreaRule(int Area, string Group, decimal Minor, decimal Serious, decimal Grave)
{
    public decimal PointsFor(Severity severity) => severity switch { Severity.Minor => Minor, Severity.Serious => Serious, _ => Grave };
}

/// <summary>Points lost per accuracy rate past its threshold (三率一度).</summary>
public sealed record AccuracyRule(decimal WrongExit, decimal Missed, decimal WrongEnrolment, decimal PublicApproval);

/// <summary>A grade band: scores from <c>Min</c> up to (not including) <c>Max</c>; the top band includes its max.</summary>
public sealed record GradeBand(string Grade, decimal Min, decimal Max);

/// <summary>How problem points are weighed against how much a town or unit was inspected.</summary>
public static class Exposures
{
    /// <summary>Every problem costs its full points, however often the town was inspected.</summary>
    public const string None = "none";

    /// <summary>
    /// 按督查次数折算: a problem costs its points divided by the number of inspections (in the field
    /// by the as-of point) that examined its content area, so inspecting a town more often does not
    /// by itself lower its score.
    /// </summary>
    public const string PerInspection = "per-inspection";

    public static readonly IReadOnlyList<string> All = [None, PerInspection];
}

/// <summary>How the results group (the group of content area 3, 减贫成效) is scored.</summary>
public static class ResultsRules
{
    /// <summary>By deductions for area-3 problems, like every other group (rulebooks that name no rule).</summary>
    public const string Deductions = "deductions";

    /// <summary>
    /// 实绩对目标: the group rests on data only where the town's annual targets are recorded; each target
    /// above zero (households, people, villages, income growth) carries an equal share of the weight, and
    /// the share lost is the part not achieved: share × (1 − min(1, actual ÷ target)), to 0.01.
    /// </summary>
    public const string AgainstTargets = "against-targets";

    public static readonly IReadOnlyList<string> All = [Deductions, AgainstTargets];
}

/// <summary>
/// A county's rulebook for one year's assessment (扶贫开发工作成效考核细则, or the default 督查情况考核参考).
/// Every group rests on data only where an inspection in the field examined one of its content
/// areas (or a record counts against it); a group without data shows 无数据 and gives no points.
/// A group with data starts at its weight; problems (weighed by <c>Exposure</c>), overdue or late
/// rectifications, returned responses and accuracy rates past their thresholds deduct points (never
/// more than the group's cap); commendations add bonus points up to <c>BonusCap</c>. Towns are
/// always scored; units only when <c>ScoresUnits</c> says so.
/// </summary>
public sealed record Rulebook(
    int Year, string Name, string Basis, IReadOnlyList<IndicatorGroup> Groups, IReadOnlyList<AreaRule> Areas,
    decimal Overdue, decimal ClosedLate, decimal Returned, string AccuracyGroup, AccuracyRule Accuracy,
    decimal Commendation, decimal BonusCap, IReadOnlyList<GradeBand> Grades, string? Exposure = null, bool ScoresUnits = false,
    AccuracyThresholds? Thresholds = null, string? Results = null)
{
    /// <summary>The results rule in force: <see cref="ResultsRules.Deductions"/> when the rulebook names none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ResultsRule => string.IsNullOrWhiteSpace(Results) ? ResultsRules.Deductions : Results;

    /// <summary>The accuracy thresholds in force: the rulebook's own (each with its source), else the defaults of <see cref="AccuracyRules"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public AccuracyThresholds ThresholdsInForce => Thresholds ?? AccuracyRules.Defaults;

    /// <summary>The exposure rule in force: <see cref="Exposures.None"/> when the rulebook names none (rulebooks published before it existed).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ExposureRule => string.IsNullOrWhiteSpace(Exposure) ? Exposures.None : Exposure;

    /// <summary>The groups the problems of these content areas count against.</summary>
    public IEnumerable<string> GroupsOf(IEnumerable<ContentArea> areas) => areas.Select(a => RuleFor(a).Group).Distinct();


    [System.Text.Json.Serialization.JsonIgnore]
    public decimal MaxScore => Groups.Sum(g => g.Weight) + BonusCap;

    public string GradeOf(decimal score) =>
        Grades.FirstOrDefault(b => score >= b.Min && (score < b.Max || (b.Max == MaxScore && score <= b.Max)))?.Grade ?? "";

    public AreaRule RuleFor(ContentArea area) => Areas.Single(a => a.Area == (int)area);

    /// <summary>Every reason the rulebook cannot be used; empty when it is sound.</summary>
    public IReadOnlyList<string> Problems()
    {
        var checks = new Checks();
        checks.That(Year is >= 2000 and <= 2100, "year must be between 2000 and 2100");
        checks.Text(Name, "name").Text(Basis, "basis (where the numbers come from)", Checks.LongText);
        checks.That(Groups.Count > 0, "at least one indicator group");
        checks.That(Groups.Select(g => g.Code).Distinct().Count() == Groups.Count, "group codes must be distinct");
        foreach (var g in Groups)
        {
            checks.Text(g.Code, "group code").Text(g.Name, $"group {g.Code} name");
            checks.That(g.Weight > 0, $"group {g.Code}: weight must be positive");
            checks.That(g.Cap >= 0, $"group {g.Code}: cap must not be negative");
            checks.That(g.Cap <= g.Weight, $"group {g.Code}: cap {g.Cap} is more than its weight {g.Weight}");
        }
        checks.That(Groups.Sum(g => g.Weight) == 100, $"group weights sum to {Groups.Sum(g => g.Weight)}, not 100");
        var codes = Groups.Select(g => g.Code).ToHashSet();
        checks.That(Areas.Select(a => a.Area).Order().SequenceEqual(Enumerable.Range(1, 8)), "areas must list each content area 1–8 once");
        foreach (var a in Areas)
        {
            checks.That(codes.Contains(a.Group), $"area {a.Area}: unknown group '{a.Group}'");
            checks.That(a.Minor >= 0 && a.Serious >= 0 && a.Grave >= 0, $"area {a.Area}: points must not be negative");
        }
        checks.That(codes.Contains(AccuracyGroup), $"accuracyGroup: unknown group '{AccuracyGroup}'");
        checks.That(new[] { Overdue, ClosedLate, Returned, Commendation, Accuracy.WrongExit, Accuracy.Missed, Accuracy.WrongEnrolment, Accuracy.PublicApproval }
            .All(p => p >= 0), "points must not be negative");
        checks.That(BonusCap >= 0, "bonusCap must not be negative");
        checks.That(Exposures.All.Contains(ExposureRule), $"exposure must be one of: {string.Join(", ", Exposures.All)}");
        checks.That(ResultsRules.All.Contains(ResultsRule), $"results must be one of: {string.Join(", ", ResultsRules.All)}");
        if (Thresholds is { } t)
            foreach (var (name, setting) in new[] { ("wrongExit", t.WrongExit), ("missed", t.Missed), ("wrongEnrolment", t.WrongEnrolment), ("publicApproval", t.PublicApproval) })
            {
                if (setting is null) { checks.Add($"thresholds.{name} is required"); continue; }
                checks.That(setting.Value is > 0 and <= 1, $"thresholds.{name}: a share between 0 and 1");
                checks.Text(setting.Source, $"thresholds.{name}.source (where the number comes from)", Checks.LongText);
            }

        var bands = Grades.OrderBy(b => b.Min).ToList();
        checks.That(bands.Count > 0, "at least one grade band");
        foreach (var b in bands) checks.That(b.Max > b.Min, $"grade {b.Grade}: max must be above min");
        for (var i = 1; i < bands.Count; i++)
        {
            if (bands[i].Min < bands[i - 1].Max) checks.Add($"grade bands {bands[i - 1].Grade} and {bands[i].Grade} overlap");
            else if (bands[i].Min > bands[i - 1].Max) checks.Add($"no grade between {bands[i - 1].Max} and {bands[i].Min}");
        }
        if (bands.Count > 0)
        {
            checks.That(bands[0].Min <= 0, $"the lowest grade band must start at 0, not {bands[0].Min}");
            checks.That(bands[^1].Max >= MaxScore, $"the highest grade band must reach the highest possible score {MaxScore}");
        }
        checks.That(Grades.Select(g => g.Grade).Distinct().Count() == Grades.Count, "grade names must be distinct");
        return checks.Errors;
    }

    /// <summary>
    /// The rulebook that applies when the poverty office has published none for the year: a reference
    /// computed from inspection records (督查情况考核参考) for towns only, problems weighed per
    /// inspection; its numbers and their sources are in docs/scoring.md.
    /// </summary>
    public static Rulebook Default(int year) => new(
        year, $"{year}年度镇（街）督查情况考核参考（默认细则，依督查记录计算）",
        "依《实施方案》第十一条，督查结果作为各镇（街）年度扶贫开发工作成效考核的重要参考：本参考分仅由督查记录计算，只考核镇（街）；未经督查的指标组显示“无数据”，不给分。" +
        "指标组权重依广东省扶贫开发工作成效考核指标（减贫成效50、精准识别15、精准帮扶22、资金使用及其他13）；问题扣分按督查次数折算；扣分标准为本系统默认值，由县扶贫办发布正式细则后替换。",
        [
            new("results", "减贫成效", 50, 50),
            new("identification", "精准识别", 15, 15),
            new("assistance", "精准帮扶", 22, 22),
            new("funds", "资金使用及其他", 13, 13),
        ],
        [
            new(1, "assistance", 0.5m, 1, 2),
            new(2, "assistance", 0.5m, 1, 2),
            new(3, "results", 1, 2, 4),
            new(4, "identification", 1, 2, 3),
            new(5, "assistance", 0.5m, 1, 2),
            new(6, "funds", 0.5m, 1, 2),
            new(7, "funds", 1, 2, 4),
            new(8, "assistance", 0.5m, 1, 2),
        ],
        Overdue: 1, ClosedLate: 0.5m, Returned: 0.5m,
        AccuracyGroup: "identification", Accuracy: new AccuracyRule(3, 3, 3, 2),
        Commendation: 1, BonusCap: 3,
        [new("好", 90, 103), new("较好", 80, 90), new("一般", 60, 80), new("较差", 0, 60)],
        Exposure: Exposures.PerInspection, ScoresUnits: false, Thresholds: AccuracyRules.Defaults);
}
