using Ledger.Api.Storage;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ledger.Api.Health;

/// <summary><c>GET /health</c>: 200 when every database of the ledger answers, 503 (problem details) when one does not.</summary>
public sealed class DatabaseHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var databases = await store.DatabasesAsync();
            foreach (var database in databases)
            {
                await using var connection = await database.OpenConnectionAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "select 1";
                await command.ExecuteScalarAsync(cancellationToken);
            }
            return HealthCheckResult.Healthy(databases.Count == 1 ? "database answers" : $"all {databases.Count} databases answer");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("database does not answer: " + e.GetType().Name);
        }
    }
}

public static class HealthEndpoint
{
    public static void MapLedgerHealth(this WebApplication app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                var healthy = report.Status == HealthStatus.Healthy;
                context.Response.ContentType = healthy ? "application/json" : "application/problem+json";
                var body = healthy
                    ? (object)new { status = "healthy", checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description) }
                    : new
                    {
                        type = "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                        title = "服务不可用 (service unavailable)",
                        status = 503,
                        detail = string.Join("; ", report.Entries.Select(e => $"{e.Key}: {e.Value.Description}")),
                    };
                await context.Response.WriteAsync(JsonSerializer.Serialize(body));
            },
        }).AllowAnonymous();
}
