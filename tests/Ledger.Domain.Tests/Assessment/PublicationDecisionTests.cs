using Ledger.Domain.Assessment;
using Ledger.Domain.Common;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Assessment;

/// <summary>Publishing a year's rulebook (versions) and its assessment (revisions, corrections with a reason).</summary>
public sealed class PublicationDecisionTests
{
    private static readonly Guid RulebookStream = PublishRulebook.StreamOf("440233", 2017);
    private static readonly Guid AssessmentStream = PublishAssessment.StreamOf("440233", 2017);
    private static readonly DateOnly Today = new(2018, 1, 10);
    private static readonly DateTimeOffset Now = new(2018, 1, 10, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2017, 12, 31, 15, 59, 59, TimeSpan.Zero);

    private static readonly Rulebook Book = Rulebook.Default(2017);

    [Fact]
    public void The_first_rulebook_of_a_year_is_version_1_and_a_later_one_the_next() 
    {
        Then(PublishRulebook.Decide(RulebookStream, Book, null, PovertyOffice, Today),
            new RulebookPublished(RulebookStream, 2017, 1, Book, "扶贫办", Today));
        var published = Given<PublishedRulebooks>(new RulebookPublished(RulebookStream, 2017, 1, Book, "扶贫办", Today),
            new RulebookPublished(RulebookStream, 2017, 2, Book, "扶贫办", Today));
        Then(PublishRulebook.Decide(RulebookStream, Book, published, PovertyOffice, Today),
            new RulebookPublished(RulebookStream, 2017, 3, Book, "扶贫办", Today));
    }

    [Fact]
    public void A_rulebook_that_cannot_be_used_is_refused_with_every_reason()
    {
        Refused(PublishRulebook.Decide(RulebookStream, Book with { Groups = null! }, null, PovertyOffice, Today),
            RefusalKind.Invalid, "a rulebook has groups, areas, accuracy and grades");
        var bad = PublishRulebook.Decide(RulebookStream, Book with { Year = 1999, Name = "" }, null, PovertyOffice, Today);
        Refused(bad, RefusalKind.Invalid, "year must be between 2000 and 2100");
        Assert.Contains("name is required", bad.Refusal!.Errors!);
    }

    private static PublishedScore Score(string code, decimal score, string grade) => new("town", code, score, grade, 1, []);
    private static AssessmentResult Result(params PublishedScore[] scores) => new(1, AsOf, 4200, scores);

    private static AssessmentPublished Revision1 => new(AssessmentStream, 2017, 1, 1, AsOf, 4100, [Score("440233100", 90m, "好")], null, [],
        "扶贫办", new DateOnly(2018, 1, 5));

    [Fact]
    public void The_first_publication_is_revision_1_with_no_changes() =>
        Then(new PublishAssessment(AsOf, null, null).Decide(AssessmentStream, 2017, null, Result(Score("440233100", 90m, "好")), PovertyOffice, Now),
            new AssessmentPublished(AssessmentStream, 2017, 1, 1, AsOf, 4200, [Score("440233100", 90m, "好")], null, [], "扶贫办", Today));

    [Fact]
    public void A_correction_names_the_revision_it_corrects_says_why_and_lists_what_changed() =>
        Then(new PublishAssessment(AsOf, " 更正 ", 1).Decide(AssessmentStream, 2017, Given<PublishedAssessment>(Revision1),
                Result(Score("440233100", 85m, "较好"), Score("440233101", 70m, "一般")), PovertyOffice, Now),
            new AssessmentPublished(AssessmentStream, 2017, 2, 1, AsOf, 4200, [Score("440233100", 85m, "较好"), Score("440233101", 70m, "一般")], "更正",
                [new ScoreChange("town", "440233100", 90m, 85m, "好", "较好"), new ScoreChange("town", "440233101", 0, 70m, "", "一般")], "扶贫办", Today));

    [Fact]
    public void A_correction_of_another_revision_is_a_conflict_naming_the_current_one()
    {
        var stale = new PublishAssessment(null, "更正", 3).Check(Given<PublishedAssessment>(Revision1), 2017, Now);
        Assert.Equal(RefusalKind.Conflict, stale!.Kind);
        Assert.Equal("the assessment of 2017 is at revision 1: a correction names it as expectedRevision", stale.Message);
        Assert.Equal(1, stale.Extensions!["currentRevision"]);
        Refused(new PublishAssessment(null, "更正", null).Decide(AssessmentStream, 2017, Given<PublishedAssessment>(Revision1),
            Result(Score("440233100", 85m, "较好")), PovertyOffice, Now), RefusalKind.Conflict, "is at revision 1");
    }

    [Fact]
    public void A_correction_without_a_reason_or_an_as_of_in_the_future_is_invalid()
    {
        Refused(new PublishAssessment(null, " ", 1).Decide(AssessmentStream, 2017, Given<PublishedAssessment>(Revision1),
            Result(Score("440233100", 85m, "较好")), PovertyOffice, Now), RefusalKind.Invalid, "reason is required");
        Refused(new PublishAssessment(Now.AddMinutes(1), null, null).Decide(AssessmentStream, 2017, null, Result(), PovertyOffice, Now),
            RefusalKind.Invalid, "asOf is in the future");
    }

    [Fact]
    public void A_correction_that_changes_nothing_is_a_conflict() =>
        Refused(new PublishAssessment(null, "更正", 1).Decide(AssessmentStream, 2017, Given<PublishedAssessment>(Revision1),
            Result(Score("440233100", 90m, "好")), PovertyOffice, Now), RefusalKind.Conflict, "nothing changed since revision 1");
}
