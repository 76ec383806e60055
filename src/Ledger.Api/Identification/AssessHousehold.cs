using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>家庭收入及三保障核定 for one year: per-capita disposable income in yuan and the three guarantees.</summary>
public sealed record AssessHousehold(long? ExpectedVersion, int? Year, decimal? PerCapitaIncome, ThreeGuarantees? Guarantees, int? Size, DateOnly? AssessedOn);

public static class AssessHouseholdEndpoint
{
    [WolverinePost("/api/households/{code}/assessments")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(string code, AssessHousehold command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
        => ExistingStream.WriteAsync<Household>(session, RegisterHouseholdEndpoint.IdOf(session.TenantId, code), command.ExpectedVersion,
            context, "household", household => Task.FromResult(Decide(command, household, ChinaTime.Today(clock.GetUtcNow()))), ct);

    public static Decision Decide(AssessHousehold command, Household household, DateOnly today)
    {
        var checks = new Checks();
        checks.That(command.Year is >= 2000 && command.Year <= today.Year, $"year must be between 2000 and {today.Year}");
        checks.Amount(command.PerCapitaIncome, "perCapitaIncome");
        checks.That(command.Guarantees is not null, "guarantees {schooling, medical, housing} are required (三保障)");
        checks.That(command.Size is null or (>= 1 and <= 50), "size must be 1–50");
        var assessedOn = command.AssessedOn ?? today;
        checks.That(assessedOn <= today, "assessedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;
        return Decision.Accept(new HouseholdAssessed(household.Id, household.Code, household.TownCode, household.VillageCode,
            command.Year!.Value, command.PerCapitaIncome!.Value, command.Guarantees!, command.Size ?? household.Size, assessedOn));
    }
}
