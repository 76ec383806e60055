using Ledger.Domain.Identification;

namespace Ledger.Tests.Rules;

public sealed class IdentificationRuleTests
{
    private static DecisionStepRecorded Step(DecisionStep step, string date, int? attended = null, int? eligible = null,
        string? noticeEnd = null, int? objections = null) =>
        new(Guid.Empty, DecisionSubject.Household, DecisionKind.Entry, 2017, "t", "v", null, step, DateOnly.Parse(date),
            attended, eligible, noticeEnd is null ? null : DateOnly.Parse(date), noticeEnd is null ? null : DateOnly.Parse(noticeEnd),
            objections, null, [], "u");

    private static string[] Codes(params DecisionStepRecorded[] steps) =>
        Procedures.Check(DecisionSubject.Household, DecisionKind.Entry, steps, 7).Select(p => p.Code).ToArray();

    [Fact]
    public void Steps_in_order_on_distinct_dates_have_no_problem() =>
        Assert.Empty(Codes(Step(DecisionStep.Application, "2017-03-01"), Step(DecisionStep.DemocraticReview, "2017-03-02", 2, 3)));

    [Fact]
    public void Exactly_two_thirds_attendance_is_enough() =>
        Assert.DoesNotContain("low-attendance", Codes(Step(DecisionStep.DemocraticReview, "2017-03-02", 14, 21)));

    [Fact]
    public void A_seven_day_notice_counts_both_ends()
    {
        Assert.DoesNotContain("short-notice:village-notice", Codes(Step(DecisionStep.VillageNotice, "2017-03-06", noticeEnd: "2017-03-12")));
        Assert.Contains("short-notice:village-notice", Codes(Step(DecisionStep.VillageNotice, "2017-03-06", noticeEnd: "2017-03-11")));
    }

    [Fact]
    public void Objections_during_a_notice_are_flagged() =>
        Assert.Contains("objections:village-notice", Codes(Step(DecisionStep.VillageNotice, "2017-03-06", noticeEnd: "2017-03-12", objections: 2)));

    [Fact]
    public void Only_steps_before_the_last_recorded_one_count_as_skipped() =>
        Assert.Equal(["skipped:application", "skipped:democratic-review"], Codes(Step(DecisionStep.VillageNotice, "2017-03-06", noticeEnd: "2017-03-13")));

    [Theory]
    [InlineData(2017, 6883, true)]
    [InlineData(2017, 6884, false)]
    [InlineData(2018, 7365, true)]
    public void The_exit_line_of_the_year_applies(int year, int income, bool flagged)
    {
        var problems = Standards.Check(DecisionSubject.Household, DecisionKind.Exit, year,
            new DecisionBasis(income, new ThreeGuarantees(true, true, true), null, null));
        Assert.Equal(flagged, problems.Any(p => p.Code == "below-exit-line"));
    }

    [Theory]
    [InlineData(7999, 1000, 50, true)]
    [InlineData(8000, 1000, 50, false)]
    [InlineData(7000, 1000, 49, false)]
    public void Village_criteria_need_low_income_and_five_percent_poor(int income, int residents, int poor, bool meets) =>
        Assert.Equal(meets, Standards.MeetsVillageCriteria(income, residents, poor));

    [Fact]
    public void Rates_without_a_sample_have_no_value()
    {
        var figures = AccuracyRules.Compute([], []);
        Assert.Null(figures.WrongExit.Value);
        Assert.Null(figures.WrongExit.Met);
    }

    [Fact]
    public void Masking_keeps_the_first_character_and_only_the_first_and_last_of_an_id_number()
    {
        Assert.Equal("张**", Masking.Name("张三丰"));
        Assert.Equal("4****************X", Masking.IdNumber("44023319800101123X"));
        // A number masked by the earlier rule (first 6, last 4) masks again to the same short form.
        Assert.Equal("4****************X", Masking.IdNumber("440233********123X"));
        Assert.Equal("**", Masking.IdNumber("12"));
    }
}
