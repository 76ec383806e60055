using Ledger.Domain.Rectifications;
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

    /// <summary>
    /// A county's fair-deadline settings: <c>Ledger:Counties:{county}:MaxBackdateDays</c> and
    /// <c>…:VerificationDays</c>, else <c>Ledger:MaxBackdateDays</c> / <c>Ledger:VerificationDays</c>, else the defaults.
    /// </summary>
    public RectificationSettings Rectification(string county) => new(
        Setting(county, "MaxBackdateDays") ?? RectificationSettings.Default.MaxBackdateDays,
        Setting(county, "VerificationDays") ?? RectificationSettings.Default.VerificationDays);

    private int? Setting(string county, string name) =>
        configuration.GetValue<int?>($"Ledger:Counties:{county}:{name}") ?? configuration.GetValue<int?>($"Ledger:{name}");
}
