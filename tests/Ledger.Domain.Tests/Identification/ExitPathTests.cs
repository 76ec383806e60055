using Ledger.Domain.Identification;

namespace Ledger.Domain.Tests.Identification;

/// <summary>Households without capacity to work (无劳动能力) exit through 兜底保障, not the income line.</summary>
public sealed class ExitPathTests
{
    private static readonly ThreeGuarantees Secured = new(true, true, true);

    private static string[] Problems(DecisionBasis basis) =>
        Standards.Check(DecisionSubject.Household, DecisionKind.Exit, 2017, basis).Select(p => p.Code).ToArray();

    [Fact]
    public void A_household_without_capacity_to_work_under_the_safety_net_exits_below_the_income_line()
    {
        Assert.Empty(Problems(new DecisionBasis(3000m, Secured, null, null, CapacityToWork: false, SafetyNet: true)));
        Assert.Equal(["no-safety-net"], Problems(new DecisionBasis(3000m, Secured, null, null, CapacityToWork: false, SafetyNet: false)));
        Assert.Equal(["guarantees-not-secured"],
            Problems(new DecisionBasis(3000m, new ThreeGuarantees(true, false, true), null, null, CapacityToWork: false, SafetyNet: true)));
    }

    [Fact]
    public void An_able_household_still_needs_income_above_the_exit_line()
    {
        Assert.Equal(["below-exit-line"], Problems(new DecisionBasis(3000m, Secured, null, null)));
        Assert.Equal(["below-exit-line"], Problems(new DecisionBasis(3000m, Secured, null, null, CapacityToWork: true, SafetyNet: true)));
        Assert.Empty(Problems(new DecisionBasis(6884m, Secured, null, null)));
    }
}
