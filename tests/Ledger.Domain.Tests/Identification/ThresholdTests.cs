using Ledger.Domain.Identification;

namespace Ledger.Domain.Tests.Identification;

/// <summary>"X以上" includes X: the thresholds are tested at exactly X.</summary>
public sealed class ThresholdTests
{
    [Fact]
    public void Public_approval_of_exactly_90_percent_meets_the_90_percent_or_more_line()
    {
        var exactly = AccuracyRules.Compute([], [new AccuracyRules.Survey(20, 18)]).PublicApproval;
        Assert.Equal(0.9m, exactly.Value);
        Assert.True(exactly.Met);
        var below = AccuracyRules.Compute([], [new AccuracyRules.Survey(1000, 899)]).PublicApproval;
        Assert.False(below.Met);
    }

    [Fact]
    public void A_village_whose_poor_people_are_exactly_5_percent_meets_the_5_percent_or_more_criterion()
    {
        Assert.True(Standards.MeetsVillageCriteria(7999m, 200, 10));
        Assert.False(Standards.MeetsVillageCriteria(7999m, 200, 9));
    }
}
