namespace Ledger.Domain.Inspections;

/// <summary>The one home of "is this a content area": the numbers 1–8 of Art. 9.</summary>
public static class ContentAreas
{
    public const int First = 1;
    public const int Last = 8;

    /// <summary>Is the number one of the eight content areas of Art. 9?</summary>
    public static bool IsValid(int? number) => number is >= First and <= Last;
}
