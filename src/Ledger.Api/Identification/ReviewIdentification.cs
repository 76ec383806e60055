using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Inspections;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>
/// 识别退出复核: an inspector's verdict on a decision, or on a household never identified (for
/// missed cases: name the village, and the household's code or its people). For the 漏评 rate,
/// <c>unregisteredPeopleInVillage</c> gives the unregistered rural people of the sampled village.
/// </summary>
public sealed record ReviewIdentification(
    Guid? Decision, string? Household, string? Village, int? People, int? UnregisteredPeopleInVillage,
    ReviewVerdict? Verdict, string? Description, Severity? Severity, InspectionMethod? Method,
    IReadOnlyList<Evidence>? Evidence, DateOnly? ReviewedOn);

public static class ReviewIdentificationEndpoint
{
    [WolverinePost("/api/inspections/{id}/identification-reviews")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, ReviewIdentification command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => NewCase.RecordAsync(session, id, clock, async (inspection, caseId, today) =>
        {
            var reviewed = command.Decision is { } decisionId ? await session.LoadAsync<IdentificationDecision>(decisionId, ct) : null;
            if (command.Decision is not null && reviewed is null) return Refusal.NotFound($"no decision {command.Decision} in this county");
            var household = string.IsNullOrWhiteSpace(command.Household) ? null
                : await session.LoadAsync<Household>(RegisterHouseholdEndpoint.IdOf(session.TenantId, command.Household.Trim()), ct);
            var village = reviewed?.VillageCode ?? household?.VillageCode ?? command.Village?.Trim();
            var registry = await RegistryReader.LoadAsync(session, [], [], [village], ct);
            return Decide(caseId, command, inspection, reviewed, household, registry, CallerClaims.From(context.User), today);
        }, ct);

    /// <summary>The severity a wrong verdict gets when the inspector states none.</summary>
    public static Severity? DefaultSeverity(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.Correct => null,
        ReviewVerdict.ProcedureViolated => Severity.Minor,
        _ => Severity.Serious,
    };

    public static Decision Decide(Guid caseId, ReviewIdentification command, Inspection inspection, IdentificationDecision? reviewed,
        Household? household, RegistryState registry, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team reviews decisions in it");

        var checks = new Checks();
        checks.That(command.Verdict is not null, $"verdict is required: {Codes.Accepted<ReviewVerdict>()}");
        checks.Text(command.Description, "description", Checks.LongText);
        checks.That(inspection.ContentAreas.Contains(ContentArea.IdentificationAndExit),
            "this inspection does not examine identification and exit (content area 4)");
        if (!string.IsNullOrWhiteSpace(command.Household) && household is null)
            checks.Add($"unknown household code '{command.Household}'");
        var village = reviewed?.VillageCode ?? household?.VillageCode ?? command.Village?.Trim() ?? "";
        checks.That(registry.Villages.ContainsKey(village), $"unknown village code '{village}'");
        int people;
        if (reviewed is not null)
        {
            people = reviewed.People;
            checks.That(command.Verdict is not (ReviewVerdict.Missed),
                "漏评 (missed) is a verdict on a household never identified: name the household or village, not a decision");
            checks.That(command.Verdict != ReviewVerdict.WronglyExited || reviewed.Kind == DecisionKind.Exit, "错退 (wrongly exited) is a verdict on an exit decision");
            checks.That(command.Verdict != ReviewVerdict.WronglyEnrolled || reviewed.Kind == DecisionKind.Entry, "错评 (wrongly enrolled) is a verdict on an entry decision");
            checks.That(command.People is null || command.People == reviewed.People, "people follow from the decision reviewed");
        }
        else
        {
            people = command.People ?? household?.Size ?? 0;
            checks.That(people is >= 1 and <= 50, "people (in the household reviewed) is required, 1–50");
            checks.That(command.Verdict is null or ReviewVerdict.Correct or ReviewVerdict.Missed,
                "without a decision, the verdict is correct (rightly not enrolled) or missed (漏评)");
        }
        checks.That(command.UnregisteredPeopleInVillage is null or >= 1, "unregisteredPeopleInVillage must be positive");
        Targets.CheckEvidence(checks, command.Evidence);
        var reviewedOn = command.ReviewedOn ?? today;
        checks.That(reviewedOn <= today, "reviewedOn is in the future");
        if (checks.Ok)
            foreach (var problem in inspection.OutOfScope(null, null, village, registry)) checks.Add(problem);
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");

        var verdict = command.Verdict!.Value;
        return Decision.Accept(new IdentificationReviewed(caseId, inspection.Id, inspection.Year, registry.Villages[village].TownCode,
            null, village, reviewed?.Id, reviewed?.Kind, reviewed?.HouseholdCode ?? household?.Code, people,
            command.UnregisteredPeopleInVillage, verdict, command.Description!.Trim(),
            verdict == ReviewVerdict.Correct ? null : command.Severity ?? DefaultSeverity(verdict),
            command.Method ?? InspectionMethod.FieldInvestigation, Targets.Evidence(command.Evidence), caller.User, reviewedOn));
    }
}
