using System.Reflection;
using System.Runtime.CompilerServices;
using Ledger.Domain.Common;
using Ledger.Projections.Accountability;

namespace Ledger.Tests.Rules;

/// <summary>The replay of the past asks the store only for the event types the evolver reads: the list and the switches agree.</summary>
public sealed class AccountabilityEventTypesTests
{
    /// <summary>An event with every string "x", every list of strings ["x"] and every other list empty.</summary>
    private static object Sample(Type type)
    {
        var e = RuntimeHelpers.GetUninitializedObject(type);
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
        {
            if (field.FieldType == typeof(string)) field.SetValue(e, "x");
            else if (field.FieldType == typeof(IReadOnlyList<string>)) field.SetValue(e, new List<string> { "x" });
            else if (field.FieldType.IsGenericType && field.FieldType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                field.SetValue(e, Activator.CreateInstance(typeof(List<>).MakeGenericType(field.FieldType.GetGenericArguments())));
        }
        return e;
    }

    private static bool IsRead(object e) =>
        AccountabilityEvolver.KeysOf(e).Count > 0 || AccountabilityEvolver.CaseIdOf(e) is not null;

    [Fact]
    public void Every_event_the_evolver_reads_is_listed_and_every_listed_one_is_read()
    {
        var events = typeof(LabelAttribute).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<LabelAttribute>() is not null)
            .ToList();
        Assert.True(events.Count >= 30, $"found only {events.Count} event types");
        var read = events.Where(t => IsRead(Sample(t))).Select(t => t.Name).Order().ToList();
        Assert.Equal(AccountabilityEvolver.EventTypes.Select(t => t.Name).Order().ToList(), read);
    }
}
