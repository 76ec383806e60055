using Ledger.Api.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ledger.Api.Health;

/// <summary>
/// <c>GET /health</c>, the chain's part: 503 naming the county, its database and the reason when the
/// county's log contradicts a signed head (the chain writer has stopped extending it); otherwise whether heads are signed
/// and where they are witnessed.
/// </summary>
public sealed class ChainHeadsHealthCheck(TreeHeads heads) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var alarms = heads.Alarms;
        if (alarms.Count > 0)
            return Task.FromResult(HealthCheckResult.Unhealthy("degraded, the chain writer has stopped: " +
                                                               string.Join("; ", alarms.OrderBy(a => a.Key.County, StringComparer.Ordinal)
                                                                   .Select(a => $"county {a.Key.County} (database {a.Key.Database}): {a.Value.Detail}"))));
        var signing = heads.Signed ? $"heads signed (key {heads.KeyId![..16]}…)" : $"heads UNSIGNED: no {AuditSettings.Section}:SigningKey configured";
        var witness = heads.WitnessDirectory is { } directory ? $"witnessed in {directory}" : $"no witness directory ({AuditSettings.Section}:WitnessDirectory)";
        return Task.FromResult(HealthCheckResult.Healthy($"{signing}; {witness}"));
    }
}
