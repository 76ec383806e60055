using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Api.Setup;
using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Registry;

/// <summary>What an accepted import did.</summary>
public sealed record RegistryImportResult(
    RegistryFileKind Kind, int Rows, int Unchanged, int StreamsWritten, int EventsAppended)
{
    public string KindLabel => Codes.LabelOf(Kind);
}

/// <summary>
/// <c>POST /api/registry/import</c>: a registry CSV file (towns, villages, units or pairings; the
/// header row says which), UTF-8 with or without a byte-order mark. Any bad row refuses the file
/// whole, listing every bad row; rows equal to the registry append nothing.
/// </summary>
public static class ImportRegistry
{
    public static async Task<RegistryImportPlan> LoadAsync(HttpRequest request, IQuerySession session, DateOnly today, CancellationToken ct)
    {
        string text;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            return new RegistryImportPlan(null, 0, 0, [], [new RowError(1, "the file is not valid UTF-8")]);
        }
        return await PlanAsync(text, session, today, ct);
    }

    public static ProblemDetails Validate(RegistryImportPlan plan) =>
        plan.IsValid
            ? Wolverine.Http.WolverineContinue.NoProblems
            : ProblemAnswers.BadRequest(
                $"导入被拒绝，未导入任何内容 (the file was refused whole; nothing was imported): {plan.Errors.Count} problem(s)",
                new Dictionary<string, object?> { ["errors"] = plan.Errors });

    [WolverinePost("/api/registry/import")]
    [Authorize(Roles = Roles.PovertyOffice)]
    public static RegistryImportResult Post([NotBody] RegistryImportPlan plan, IDocumentSession session)
    {
        Append(plan, session);
        return Summarise(plan);
    }

    /// <summary>Reads the registry as it stands for the session's county and plans the import.</summary>
    public static Task<RegistryImportPlan> PlanAsync(string csvText, IQuerySession session, DateTimeOffset now, CancellationToken ct) =>
        PlanAsync(csvText, session, ChinaTime.Today(now), ct);

    public static async Task<RegistryImportPlan> PlanAsync(string csvText, IQuerySession session, DateOnly today, CancellationToken ct)
    {
        var state = await RegistryReader.LoadAllAsync(session, ct);
        return RegistryImport.Plan(session.TenantId, csvText, state, today);
    }

    public static void Append(RegistryImportPlan plan, IDocumentSession session)
    {
        foreach (var write in plan.Writes)
        {
            if (write.ExpectedVersion == 0) session.Events.StartStream(write.StreamId, write.Events.ToArray());
            else session.Events.Append(write.StreamId, write.ExpectedVersion + write.Events.Count, write.Events.ToArray());
        }
    }

    public static RegistryImportResult Summarise(RegistryImportPlan plan) =>
        new(plan.Kind!.Value, plan.Rows, plan.Unchanged, plan.Writes.Count, plan.EventCount);
}
