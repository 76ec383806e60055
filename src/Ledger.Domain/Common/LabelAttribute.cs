namespace Ledger.Domain.Common;

/// <summary>The Chinese label users see beside an enum value's code.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class LabelAttribute(string chinese) : Attribute
{
    public string Chinese { get; } = chinese;
}
