namespace Ledger.Domain.Identification;

/// <summary>
/// The standards decisions are checked against (Guangdong 2016–2018, see DOMAIN.md and
/// docs/identification.md for the sources). Amounts are yuan per person per year.
/// </summary>
public static class Standards
{
    /// <summary>Poor household: rural per-capita disposable income below 4,000 yuan (2014 prices).</summary>
    public const decimal HouseholdEntryLine = 4000m;

    /// <summary>Relatively-poor village: per-capita income below 8,000 yuan and poor people ≥ 5% of registered residents.</summary>
    public const decimal VillageIncomeLine = 8000m;
    public const decimal VillagePoorShare = 0.05m;

    /// <summary>A democratic review needs at least two thirds of the representatives.</summary>
    public const decimal MinimumAttendance = 2m / 3m;

    /// <summary>The county's minimum notice (公示) length in days, unless configured otherwise.</summary>
    public const int DefaultMinimumNoticeDays = 7;

    /// <summary>
    /// Household exit (able to work): 45% of the 2015 provincial rural average, rising 7% a year. A
    /// household without capacity to work (无劳动能力) has its own path: it exits under the safety net
    /// (兜底保障) with the three guarantees secured, whatever its income.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, decimal> HouseholdExitLines = new Dictionary<int, decimal>
    {
        [2016] = 6433m,
        [2017] = 6883m,
        [2018] = 7365m,
    };

    /// <summary>Where the default exit lines come from.</summary>
    public const string ExitLineSource = "广东省2016–2018年贫困户脱贫标准：2015年全省农村居民人均可支配收入的45%，逐年增长7%（本系统默认值）";

    /// <summary>The ledger's default exit line for a year, with its source (null for a year it has none).</summary>
    public static CountySetting? DefaultExitLine(int year) =>
        HouseholdExitLines.TryGetValue(year, out var line) ? new CountySetting("householdExitLine", line, ExitLineSource) : null;

    public static bool MeetsVillageCriteria(decimal income, int residents, int poorPeople) =>
        income < VillageIncomeLine && residents > 0 && (decimal)poorPeople / residents >= VillagePoorShare;

    /// <summary>What the figures say about a decision of this subject, kind and year.</summary>
    public static IEnumerable<DecisionProblem> Check(DecisionSubject subject, DecisionKind kind, int year, DecisionBasis basis)
    {
        if (subject == DecisionSubject.Household)
        {
            var income = basis.PerCapitaIncome ?? 0;
            var guarantees = basis.Guarantees ?? new ThreeGuarantees(false, false, false);
            if (kind == DecisionKind.Entry)
            {
                if (income >= HouseholdEntryLine && guarantees.AllSecured)
                    yield return new DecisionProblem("above-entry-line",
                        $"人均可支配收入 {income:0.00} 元不低于识别标准 {HouseholdEntryLine:0} 元，且三保障均已落实 (income at or above the entry line with the three guarantees secured)");
            }
            else if (basis.CapacityToWork == false)
            {
                // 无劳动能力: no income line to pass; the household exits through 兜底保障 (social assistance).
                if (basis.SafetyNet != true)
                    yield return new DecisionProblem("no-safety-net",
                        "无劳动能力的贫困户须纳入兜底保障（低保、特困供养）方可退出 (a household without capacity to work exits only under the safety net)");
                if (!guarantees.AllSecured)
                    yield return new DecisionProblem("guarantees-not-secured",
                        $"三保障未全部落实：{Missing(guarantees)} (the three guarantees are not all secured)");
            }
            else
            {
                var line = basis.ExitLine ?? DefaultExitLine(year);
                if (line is null)
                    yield return new DecisionProblem("no-exit-line", $"{year} 年没有设定退出收入标准 (no exit income line for {year})");
                else if (income <= line.Value)
                    yield return new DecisionProblem("below-exit-line",
                        $"人均可支配收入 {income:0.00} 元未超过 {year} 年退出标准 {line.Value:0} 元（依据：{line.Source}） (income not above the exit line)");
                if (!guarantees.AllSecured)
                    yield return new DecisionProblem("guarantees-not-secured",
                        $"三保障未全部落实：{Missing(guarantees)} (the three guarantees are not all secured)");
            }
        }
        else
        {
            var meets = MeetsVillageCriteria(basis.PerCapitaIncome ?? 0, basis.RegisteredResidents ?? 0, basis.PoorPeople ?? 0);
            if (kind == DecisionKind.Entry && !meets)
                yield return new DecisionProblem("village-criteria-not-met",
                    $"不符合相对贫困村标准：人均收入低于 {VillageIncomeLine:0} 元且贫困人口占户籍人口 5% 以上 (the village does not meet the criteria)");
            if (kind == DecisionKind.Exit && meets)
                yield return new DecisionProblem("village-still-meets-criteria",
                    "仍符合相对贫困村标准，不应退出 (the village still meets the criteria of a relatively-poor village)");
        }
    }

    private static string Missing(ThreeGuarantees g) => string.Join("、",
        new[] { (g.Schooling, "义务教育"), (g.Medical, "基本医疗"), (g.Housing, "住房安全") }.Where(x => !x.Item1).Select(x => x.Item2));
}
