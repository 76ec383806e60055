using Ledger.Api.Http;
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
/// 制定督查方案. <c>contentAreas</c> are the numbers 1–8 of Art. 9 (a comprehensive inspection
/// without any examines all eight); a special inspection names its topic; a cross-inspection
/// (交叉督查) names the inspecting town.
/// </summary>
public sealed record PlanInspection(
    InspectionKind? Kind, string? Topic, int? Year,
    IReadOnlyList<string>? Towns, IReadOnlyList<string>? Units, IReadOnlyList<int>? ContentAreas,
    IReadOnlyList<Responsibility>? Responsibilities, IReadOnlyList<string>? TaskRequirements,
    DateOnly? PlannedStart, DateOnly? PlannedEnd, bool? CrossInspection, string? InspectingTown);

public static class PlanInspectionEndpoint
{
    [WolverinePost("/api/inspections")]
    [Authorize(Roles = Roles.InspectionOffice)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    public static async Task<IResult> Post(PlanInspection command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var registry = await RegistryReader.LoadAsync(session,
            [.. command.Towns ?? [], command.InspectingTown], command.Units ?? [], [], ct);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var decision = Decide(id, command, registry, ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();

        session.Events.StartStream<Inspection>(id, decision.Events.ToArray());
        return Results.Created($"/api/inspections/{id}", new WriteAnswer(id, decision.Events.Count));
    }

    public static Decision Decide(Guid id, PlanInspection command, RegistryState registry, DateOnly today)
    {
        var checks = new Checks();
        var towns = (command.Towns ?? []).Select(t => t?.Trim() ?? "").ToList();
        var units = (command.Units ?? []).Select(u => u?.Trim() ?? "").ToList();
        var areaNumbers = command.ContentAreas ?? [];

        checks.That(command.Kind is not null, $"kind is required: {Codes.Accepted<InspectionKind>()}");
        if (command.Kind == InspectionKind.Special) checks.Text(command.Topic, "topic (专项督查 needs its topic)");
        else checks.Text(command.Topic, "topic", required: false);
        checks.That(command.Year is { } year && year >= 2000 && year <= today.Year + 1,
            $"year must be between 2000 and {today.Year + 1}");
        checks.That(towns.Count + units.Count > 0, "name at least one town or unit to inspect");
        foreach (var town in towns.Where(t => !registry.Towns.ContainsKey(t))) checks.Add($"unknown town code '{town}'");
        foreach (var unit in units.Where(u => !registry.Units.ContainsKey(u))) checks.Add($"unknown unit code '{unit}'");
        checks.That(towns.Distinct().Count() == towns.Count && units.Distinct().Count() == units.Count, "a town or unit is listed twice");
        foreach (var n in areaNumbers.Where(n => n is < 1 or > 8)) checks.Add($"content area {n} does not exist: areas are 1–8 (Art. 9)");
        checks.That(areaNumbers.Distinct().Count() == areaNumbers.Count, "a content area is listed twice");
        checks.That(areaNumbers.Count > 0 || command.Kind != InspectionKind.Special, "a special inspection names the content areas it examines");

        var responsibilities = command.Responsibilities ?? [];
        checks.That(responsibilities.Count > 0, "the responsibility list (督查责任清单) needs at least one item with its owner");
        for (var i = 0; i < responsibilities.Count; i++)
        {
            checks.Text(responsibilities[i]?.Item, $"responsibilities[{i}].item", Checks.LongText);
            checks.Text(responsibilities[i]?.Owner, $"responsibilities[{i}].owner");
        }
        var requirements = command.TaskRequirements ?? [];
        for (var i = 0; i < requirements.Count; i++) checks.Text(requirements[i], $"taskRequirements[{i}]", Checks.LongText);

        checks.That(command.PlannedStart is not null && command.PlannedEnd is not null, "plannedStart and plannedEnd are required");
        if (command.PlannedStart is { } start && command.PlannedEnd is { } end)
        {
            checks.That(end >= start, "plannedEnd is before plannedStart");
            checks.That(command.Year is null || start.Year == command.Year, "plannedStart must fall in the inspection's year");
        }

        var cross = command.CrossInspection ?? false;
        var inspectingTown = command.InspectingTown?.Trim();
        if (cross)
        {
            checks.That(!string.IsNullOrEmpty(inspectingTown), "a cross-inspection (交叉督查) names the inspecting town");
            if (!string.IsNullOrEmpty(inspectingTown))
            {
                checks.That(registry.Towns.ContainsKey(inspectingTown), $"unknown inspecting town code '{inspectingTown}'");
                checks.That(!towns.Contains(inspectingTown), "in a cross-inspection a town never inspects itself");
            }
        }
        else checks.That(string.IsNullOrEmpty(inspectingTown), "inspectingTown is only for a cross-inspection");

        if (checks.ToRefusal() is { } refusal) return refusal;

        var areas = areaNumbers.Count == 0
            ? Enum.GetValues<ContentArea>().ToList()
            : areaNumbers.Order().Select(n => (ContentArea)n).ToList();
        return Decision.Accept(new InspectionPlanned(
            id, command.Kind!.Value, command.Topic?.Trim(), command.Year!.Value, towns, units, areas,
            responsibilities.Select(r => new Responsibility(r.Item.Trim(), r.Owner.Trim())).ToList(),
            requirements.Select(r => r.Trim()).ToList(),
            command.PlannedStart!.Value, command.PlannedEnd!.Value, cross, cross ? inspectingTown : null, today));
    }
}
