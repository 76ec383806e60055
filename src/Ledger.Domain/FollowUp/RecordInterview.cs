using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.FollowUp;

/// <summary>The cases a follow-up record names, each with the version it was read at.</summary>
public sealed record NamedCase(Case Case, long Version);

/// <summary>Rules the follow-up records share.</summary>
public static class FollowUpRules
{
    /// <summary>At most this many cases in one record.</summary>
    public const int MaxCases = 100;

    /// <summary>约谈 and 通报批评 are the offices' records (both act for the leading group).</summary>
    public static bool IsOffice(Caller caller) => caller.Role is Roles.InspectionOffice or Roles.PovertyOffice;

    /// <summary>A date of a record: not in the future, and not before the county's first possible day for it.</summary>
    public static void CheckDate(Checks checks, DateOnly date, string field, DateOnly today, DateOnly? notBefore = null, string? notBeforeName = null)
    {
        checks.That(date <= today, $"{field} is in the future");
        checks.That(notBefore is null || date >= notBefore, $"{field} is before {notBeforeName} ({notBefore:yyyy-MM-dd})");
    }

    /// <summary>One decision appending an event to each named case, at the version it was read at.</summary>
    public static Decision OnEach(IReadOnlyList<NamedCase> cases, Func<Case, object> eventFor) =>
        cases.Aggregate(Decision.Accept(), (d, c) => d.AlsoAppend(c.Case.Id, c.Version, eventFor(c.Case)));
}

/// <summary>约谈: record an interview about one or more cases (who, by whom, when, about what).</summary>
public sealed record RecordInterview(IReadOnlyList<Guid>? Cases, string? IntervieweeName, string? IntervieweePost, string? InterviewedBy,
    DateOnly? HeldOn, string? Subject)
{
    public Decision Decide(Guid interviewId, IReadOnlyList<NamedCase> cases, Caller caller, DateOnly today)
    {
        if (!FollowUpRules.IsOffice(caller)) return Refusal.Forbidden("interviews (约谈) are recorded by the offices");
        var checks = new Checks();
        checks.Text(IntervieweeName, "intervieweeName (被约谈人)", 100);
        checks.Text(IntervieweePost, "intervieweePost (被约谈人职务)", 100);
        checks.Text(InterviewedBy, "interviewedBy (约谈人)", Checks.ShortText);
        checks.Text(Subject, "subject (约谈内容)", Checks.LongText);
        checks.That(HeldOn is not null, "heldOn is required");
        if (HeldOn is { } held) FollowUpRules.CheckDate(checks, held, "heldOn", today);
        if (checks.ToRefusal() is { } invalid) return invalid;
        var ids = cases.Select(c => c.Case.Id).ToList();
        return FollowUpRules.OnEach(cases, c => new InterviewRecorded(c.Id, c.InspectionId, c.Year, c.TownCode, c.UnitCode, c.VillageCode,
            interviewId, IntervieweeName!.Trim(), IntervieweePost!.Trim(), InterviewedBy!.Trim(), HeldOn!.Value, Subject!.Trim(), ids,
            caller.User, caller.Role));
    }
}

/// <summary>
/// 通报批评: a criticism notice naming one town or unit and cases of it, issued by an office on behalf of
/// the leading group. Every case named must concern the town or unit criticised.
/// </summary>
public sealed record IssueCriticism(IReadOnlyList<Guid>? Cases, string? Town, string? Unit, string? Reason, DateOnly? IssuedOn)
{
    public Decision Decide(Guid noticeId, IReadOnlyList<NamedCase> cases, Caller caller, DateOnly today)
    {
        if (!FollowUpRules.IsOffice(caller)) return Refusal.Forbidden("criticism notices (通报批评) are issued by the offices");
        var checks = new Checks();
        checks.That(string.IsNullOrWhiteSpace(Town) != string.IsNullOrWhiteSpace(Unit), "name either town or unit (the one criticised)");
        checks.Text(Reason, "reason (批评事由)", Checks.LongText);
        var issuedOn = IssuedOn ?? today;
        FollowUpRules.CheckDate(checks, issuedOn, "issuedOn", today);
        foreach (var c in cases.Select(n => n.Case))
            checks.That(string.IsNullOrWhiteSpace(Town) ? c.UnitCode == Unit?.Trim() : c.TownCode == Town?.Trim(),
                $"case {c.Id} does not concern the town or unit criticised");
        if (checks.ToRefusal() is { } invalid) return invalid;
        var ids = cases.Select(c => c.Case.Id).ToList();
        var (town, unit) = (string.IsNullOrWhiteSpace(Town) ? null : Town.Trim(), string.IsNullOrWhiteSpace(Unit) ? null : Unit.Trim());
        return FollowUpRules.OnEach(cases, c => new CriticismIssued(c.Id, c.InspectionId, c.Year, c.TownCode, c.UnitCode, c.VillageCode,
            noticeId, town, unit, Reason!.Trim(), ids, issuedOn, caller.User, caller.Role, Issuing.LeadingGroup));
    }
}
