namespace Ledger.Api.Setup;

/// <summary>
/// The ledger's clock stopped at noon (China time) of one day, for tests that run the API as a real process and
/// need it to stand on a given day (the reminder restart test starts it on a deadline, then past it):
/// <c>Ledger:TestClock:Today</c> (<c>yyyy-MM-dd</c>). Honoured only in the host environment <c>Testing</c>
/// (<c>ASPNETCORE_ENVIRONMENT=Testing</c>); set in any other environment the ledger refuses to start, so a
/// production host can never run on a stopped clock because of a stray setting. In-process test hosts put
/// their own <see cref="TimeProvider"/> in instead.
/// </summary>
public sealed class FixedDayClock(DateOnly today) : TimeProvider
{
    public const string Setting = "Ledger:TestClock:Today";
    public const string EnvironmentName = "Testing";

    private readonly DateTimeOffset _now = new(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>The stopped clock when the setting is given (in the Testing environment only), else none.</summary>
    public static TimeProvider? From(IConfiguration configuration, IHostEnvironment environment)
    {
        if (configuration[Setting] is not { Length: > 0 } value) return null;
        if (!environment.IsEnvironment(EnvironmentName))
            throw new InvalidOperationException(
                $"{Setting} stops the ledger's clock and is for tests only: it is refused in the environment '{environment.EnvironmentName}' " +
                $"(only '{EnvironmentName}' accepts it). Remove the setting.");
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", global::System.Globalization.CultureInfo.InvariantCulture, global::System.Globalization.DateTimeStyles.None, out var day))
            throw new InvalidOperationException($"{Setting}: '{value}' is not a date (yyyy-MM-dd).");
        return new FixedDayClock(day);
    }
}
