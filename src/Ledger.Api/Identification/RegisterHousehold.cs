using Ledger.Api.Security;
using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>
/// 建档立卡户登记: a household record in a village. The head's name is stored masked only; an ID
/// number, when given, is stored encrypted with a masked copy for display.
/// </summary>
public sealed record RegisterHousehold(string? Code, string? Village, string? HeadName, int? Size, string? IdNumber);

public static class RegisterHouseholdEndpoint
{
    public static Guid IdOf(string county, string code) => StableId.For("household", county, code);

    [WolverinePost("/api/households")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(RegisterHousehold command, IDocumentSession session, FieldProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var registry = await RegistryReader.LoadAsync(session, [], [], [command.Village], ct);
        var id = IdOf(session.TenantId, command.Code?.Trim() ?? "");
        var decision = Decide(id, command, registry, protector, ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        if (await session.LoadAsync<Household>(id, ct) is not null)
            return ProblemAnswers.Conflict($"household {command.Code} is already registered").ToResult();
        session.Events.StartStream<Household>(id, decision.Events.ToArray());
        return Results.Created($"/api/households/{command.Code!.Trim()}", new WriteAnswer(id, 1));
    }

    public static Decision Decide(Guid id, RegisterHousehold command, RegistryState registry, FieldProtector protector, DateOnly today)
    {
        var checks = new Checks();
        var code = command.Code?.Trim() ?? "";
        checks.That(RegistryImport.IsValidUnitCode(code), "code is required: 1–32 letters, digits, '-' or '_' (the county's household number)");
        checks.Text(command.HeadName, "headName", 50);
        checks.That(command.Size is >= 1 and <= 50, "size (people in the household) must be 1–50");
        var village = command.Village?.Trim() ?? "";
        checks.That(registry.Villages.ContainsKey(village), $"unknown village code '{village}'");
        var idNumber = command.IdNumber?.Trim();
        if (!string.IsNullOrEmpty(idNumber))
        {
            checks.That(idNumber.Length == 18 && idNumber[..17].All(char.IsAsciiDigit) && (char.IsAsciiDigit(idNumber[17]) || idNumber[17] is 'X' or 'x'),
                "idNumber must be an 18-character resident ID number");
            checks.That(protector.Enabled, $"ID numbers are kept only encrypted, and no key ({FieldProtector.ConfigurationKey}) is configured");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;

        var keepId = !string.IsNullOrEmpty(idNumber);
        return Decision.Accept(new HouseholdRegistered(id, code, registry.Villages[village].TownCode, village,
            Masking.Name(command.HeadName!), command.Size!.Value,
            keepId ? Masking.IdNumber(idNumber!.ToUpperInvariant()) : null,
            keepId ? protector.Protect(idNumber!.ToUpperInvariant()) : null, today));
    }
}
