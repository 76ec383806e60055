using System.Collections.Concurrent;
using System.Reflection;

namespace Ledger.Domain.Common;

/// <summary>
/// The Chinese name of an event, as a case history or an export shows it: the <see cref="LabelAttribute"/>
/// on the event's record, next to the event itself; the type's name when it has none.
/// </summary>
public static class EventLabels
{
    private static readonly ConcurrentDictionary<Type, string> Cache = new();

    public static string Of(Type eventType) =>
        Cache.GetOrAdd(eventType, t => t.GetCustomAttribute<LabelAttribute>()?.Chinese ?? t.Name);
}
