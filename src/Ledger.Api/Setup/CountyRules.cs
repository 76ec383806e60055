using Ledger.Domain.Identification;

namespace Ledger.Api.Setup;

/// <summary>
/// Rules a county sets for itself, from configuration: <c>Ledger:Counties:{code}:MinimumNoticeDays</c>,
/// else <c>Ledger:MinimumNoticeDays</c>, else 7 days.
/// </summary>
public sealed class CountyRules(IConfiguration configuration)
{
    public int MinimumNoticeDays(string county) =>
        configuration.GetValue<int?>($"Ledger:Counties:{county}:MinimumNoticeDays")
        ?? configuration.GetValue<int?>("Ledger:MinimumNoticeDays")
        ?? Standards.DefaultMinimumNoticeDays;
}
