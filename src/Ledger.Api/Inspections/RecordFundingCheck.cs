using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>
/// 资金检查: a fund (and its source level), the project, and the amounts allocated, arrived and
/// spent in yuan (2 decimal places). Irregularities make it a finding in content area 7.
/// </summary>
public sealed record RecordFundingCheck(
    string? Fund, FundSourceLevel? SourceLevel, string? Project, string? Town, string? Unit, string? Village,
    decimal? Allocated, decimal? Arrived, decimal? Spent, DateOnly? ArrivedOn,
    IReadOnlyList<FundIrregularity>? Irregularities, int? IdleMonths, string? OverspendReason,
    Severity? Severity, InspectionMethod? Method, string? Notes, IReadOnlyList<Evidence>? Evidence, DateOnly? CheckedOn);

public static class RecordFundingCheckEndpoint
{
    [WolverinePost("/api/inspections/{id}/funding-checks")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, RecordFundingCheck command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => NewCase.RecordAsync(session, id, clock,
            batch => RegistryReader.Queue(batch, session.TenantId, [command.Town], [command.Unit], [command.Village]),
            async (inspection, registry, caseId, today) => Decide(caseId, command, inspection, await registry, CallerClaims.From(context.User), today), ct);

    public static Decision Decide(Guid caseId, RecordFundingCheck command, Inspection inspection, RegistryState registry, Caller caller, DateOnly today)
    {
        if (!AccessRules.CanRecord(caller, inspection))
            return Refusal.Forbidden("only a member of this inspection's team records its funding checks");

        var checks = new Checks();
        var target = Targets.Check(checks, command.Town, command.Unit, command.Village, inspection, registry);
        checks.That(inspection.ContentAreas.Contains(ContentArea.FiscalFunds), "this inspection does not examine fiscal poverty funds (content area 7)");
        checks.Text(command.Fund, "fund");
        checks.Text(command.Project, "project");
        checks.That(command.SourceLevel is not null, $"sourceLevel is required: {Codes.Accepted<FundSourceLevel>()}");
        checks.That(command.Method is not null, $"method is required: {Codes.Accepted<InspectionMethod>()}");
        checks.Amount(command.Allocated, "allocated").Amount(command.Arrived, "arrived").Amount(command.Spent, "spent");
        var irregularities = command.Irregularities ?? [];
        if (checks.Ok)
            FundingRules.Check(checks, command.Arrived!.Value, command.Spent!.Value, irregularities, command.IdleMonths, command.OverspendReason);
        checks.That(command.ArrivedOn is null || command.ArrivedOn <= today, "arrivedOn is in the future");
        checks.That(command.Severity is null || irregularities.Count > 0, "severity is for a check with irregularities");
        checks.Text(command.Notes, "notes", Checks.LongText, required: false);
        Targets.CheckEvidence(checks, command.Evidence);
        var checkedOn = command.CheckedOn ?? today;
        checks.That(checkedOn <= today, "checkedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;

        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}");

        return Decision.Accept(new FundingCheckRecorded(caseId, inspection.Id, inspection.Year,
            target.Town, target.Unit, target.Village, command.Fund!.Trim(), command.SourceLevel!.Value, command.Project!.Trim(),
            command.Allocated!.Value, command.Arrived!.Value, command.Spent!.Value, command.ArrivedOn,
            irregularities, command.IdleMonths, command.OverspendReason?.Trim(),
            command.Severity ?? FundingRules.DefaultSeverity(irregularities), command.Method!.Value, command.Notes?.Trim(),
            Targets.Evidence(command.Evidence), caller.User, checkedOn));
    }
}
