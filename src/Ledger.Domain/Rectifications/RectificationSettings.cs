namespace Ledger.Domain.Rectifications;

/// <summary>
/// A county's settings for fair deadlines (practice, not the plan): how many days a date entered in the
/// past (a response, an acceptance) may go back, and how many days the office has to verify a response
/// before it appears on its own lateness list (核实超时).
/// </summary>
public sealed record RectificationSettings(int MaxBackdateDays, int VerificationDays)
{
    /// <summary>7 days back at most; 5 days to verify.</summary>
    public static readonly RectificationSettings Default = new(7, 5);

    /// <summary>The checks every back-dated date shares: not in the future, at most <see cref="MaxBackdateDays"/> back, never before the previous step.</summary>
    public void CheckDate(Common.Checks checks, DateOnly date, string field, DateOnly today, DateOnly? previousStep, string previousName)
    {
        checks.That(date <= today, $"{field} is in the future");
        checks.That(date >= today.AddDays(-MaxBackdateDays), $"{field} may go back at most {MaxBackdateDays} days (county setting)");
        checks.That(previousStep is null || date >= previousStep, $"{field} is before {previousName} ({previousStep:yyyy-MM-dd})");
    }
}
