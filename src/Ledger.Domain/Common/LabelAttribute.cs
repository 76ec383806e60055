namespace Ledger.Domain.Common;

/// <summary>The Chinese label users see beside an enum value's code, or the name of an event.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Class)]
public sealed class LabelAttribute(string chinese) : Attribute
{
    public string Chinese { get; } = chinese;
}
