using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>
/// 更正: what changes in a finding or funding check, and why. Nothing is edited: the amendment is
/// appended to the case and its history keeps the original. Fields left out stay as they are;
/// <c>addEvidence</c> adds to the evidence. A finding takes description, severity, area, method;
/// a funding check takes the amounts, irregularities, idleMonths, overspendReason and severity.
/// </summary>
public sealed record AmendFinding(
    long? ExpectedVersion, string? Reason,
    string? Description, Severity? Severity, int? Area, InspectionMethod? Method, IReadOnlyList<Evidence>? AddEvidence,
    decimal? Allocated, decimal? Arrived, decimal? Spent, IReadOnlyList<FundIrregularity>? Irregularities, int? IdleMonths,
    string? OverspendReason);

public static class AmendFindingEndpoint
{
    [WolverinePost("/api/findings/{id}/amendments")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.Inspector}")]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, AmendFinding command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => ExistingStream.WriteAsync<Case>(session, id, command.ExpectedVersion, context, "case", async current =>
            Decide(command, current, (await session.LoadAsync<Inspection>(current.InspectionId, ct))!, CallerClaims.From(context.User),
                ChinaTime.Today(clock.GetUtcNow())), ct);

    public static Decision Decide(AmendFinding command, Case current, Inspection inspection, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanCorrect(caller, inspection))
            return Refusal.Forbidden("only the inspection's team or the inspection office corrects its records");

        var checks = new Checks();
        checks.Text(command.Reason, "reason (why it is corrected)", Checks.LongText);
        Targets.CheckEvidence(checks, command.AddEvidence);
        var added = Targets.Evidence(command.AddEvidence);
        object amendment;
        if (current.Kind != CaseKind.FundingCheck)
        {
            checks.That(command.Allocated is null && command.Arrived is null && command.Spent is null && command.Irregularities is null
                        && command.IdleMonths is null && command.OverspendReason is null,
                "amounts and irregularities belong to funding checks, not findings");
            checks.Text(command.Description, "description", Checks.LongText, required: false);
            checks.That(command.Area is null || current.Kind == CaseKind.Finding, "an identification review stays in content area 4");
            if (command.Area is { } area)
                checks.That(area is >= 1 and <= 8 && inspection.ContentAreas.Contains((ContentArea)area),
                    $"content area {area} is not one this inspection examines");
            var description = command.Description?.Trim();
            var changes = (description is not null && description != current.Description)
                          || (command.Severity is not null && command.Severity != current.Severity)
                          || (command.Area is not null && command.Area != (int)current.Area)
                          || (command.Method is not null && command.Method != current.Method)
                          || added.Count > 0;
            checks.That(changes, "the amendment changes nothing");
            amendment = new FindingAmended(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
                current.VillageCode, command.Reason?.Trim() ?? "", description, command.Severity, (ContentArea?)command.Area,
                command.Method, added, today);
        }
        else
        {
            checks.That(command.Description is null && command.Area is null && command.Method is null,
                "a funding check's description, area and method follow from the check itself and are not amended");
            checks.Amount(command.Allocated, "allocated", required: false)
                .Amount(command.Arrived, "arrived", required: false)
                .Amount(command.Spent, "spent", required: false);
            var figures = current.Funding!;
            var irregularities = command.Irregularities ?? figures.Irregularities;
            var idleMonths = FundingRules.IdleMonthsAfter(figures.IdleMonths, command.Irregularities, command.IdleMonths);
            if (checks.Ok)
                FundingRules.Check(checks, command.Arrived ?? figures.Arrived, command.Spent ?? figures.Spent, irregularities,
                    idleMonths, command.OverspendReason ?? figures.OverspendReason);
            var changes = (command.Allocated is not null && command.Allocated != figures.Allocated)
                          || (command.Arrived is not null && command.Arrived != figures.Arrived)
                          || (command.Spent is not null && command.Spent != figures.Spent)
                          || (command.Irregularities is not null && !command.Irregularities.SequenceEqual(figures.Irregularities))
                          || (command.IdleMonths is not null && command.IdleMonths != figures.IdleMonths)
                          || (command.OverspendReason is not null && command.OverspendReason != figures.OverspendReason)
                          || (command.Severity is not null && command.Severity != current.Severity)
                          || added.Count > 0;
            checks.That(changes, "the amendment changes nothing");
            var severity = command.Severity
                           ?? (command.Irregularities is not null && current.Severity is null ? FundingRules.DefaultSeverity(irregularities) : null);
            amendment = new FundingCheckAmended(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
                current.VillageCode, command.Reason?.Trim() ?? "", command.Allocated, command.Arrived, command.Spent,
                command.Irregularities, command.IdleMonths, command.OverspendReason?.Trim(), severity, added, today);
        }
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (current.Status == CaseStatus.Withdrawn) return Refusal.Conflict("the record has been withdrawn; it cannot be amended");
        if (inspection.Status == InspectionStatus.Closed) return Refusal.Conflict("the inspection is closed; its records are final");
        return Decision.Accept(amendment);
    }
}
