namespace Ledger.Tests.Fixtures;

/// <summary>The API's clock in tests: real time unless a test sets the day, so deadlines can be crossed.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset? _fixed;

    public override DateTimeOffset GetUtcNow() => _fixed ?? base.GetUtcNow();

    /// <summary>Noon, China time, of the given day.</summary>
    public void SetToday(DateOnly day) => _fixed = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));

    public void Reset() => _fixed = null;
}
