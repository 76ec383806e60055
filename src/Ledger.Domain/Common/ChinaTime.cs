namespace Ledger.Domain.Common;

/// <summary>Business dates are the county's calendar dates (China Standard Time, UTC+8, no DST).</summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Offset).DateTime);
}
