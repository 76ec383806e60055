using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Tests;

/// <summary>
/// Given events → when a command is decided → then these events, or this refusal. The aggregate is
/// evolved from the given events by its own <c>Create</c>/<c>Apply</c> methods, as Marten does.
/// </summary>
public static class Spec
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public static readonly Caller PovertyOffice = new("扶贫办", Roles.PovertyOffice, null, Counties.Xinfeng);
    public static readonly Caller InspectionOffice = new("督查室", Roles.InspectionOffice, null, Counties.Xinfeng);
    public static readonly Caller Reviewer = new("纪检", Roles.Reviewer, null, Counties.Xinfeng);
    public static Caller Inspector(string user) => new(user, Roles.Inspector, null, Counties.Xinfeng);
    /// <summary>A respondent for a town (scope <c>town:&lt;code&gt;</c>).</summary>
    public static Caller Respondent(string townCode) => new($"resp-{townCode}", Roles.Respondent, Scope.Town(townCode), Counties.Xinfeng);
    /// <summary>A respondent for a unit (scope <c>unit:&lt;code&gt;</c>).</summary>
    public static Caller UnitRespondent(string unitCode) => new($"resp-{unitCode}", Roles.Respondent, Scope.Unit(unitCode), Counties.Xinfeng);

    /// <summary>The aggregate after the events: the first goes to its static <c>Create</c>, the rest to <c>Apply</c>.</summary>
    public static T Given<T>(params object[] events) where T : class
    {
        var create = typeof(T).GetMethods(BindingFlags.Public | BindingFlags.Static)
                         .FirstOrDefault(m => m.Name == "Create" && m.GetParameters().Single().ParameterType == events[0].GetType())
                     ?? throw new InvalidOperationException($"{typeof(T).Name} has no Create({events[0].GetType().Name})");
        var current = (T)create.Invoke(null, [events[0]])!;
        foreach (var e in events.Skip(1))
        {
            var apply = typeof(T).GetMethod("Apply", [e.GetType()])
                        ?? throw new InvalidOperationException($"{typeof(T).Name} has no Apply({e.GetType().Name})");
            current = (T)apply.Invoke(current, [e])!;
        }
        return current;
    }

    /// <summary>The decision appended exactly these events (compared field by field), to the stream it decided on.</summary>
    public static void Then(Decision decision, params object[] expected)
    {
        Assert.True(decision.Accepted, $"refused: {decision.Refusal?.Message}");
        Assert.Equal(expected.Select(Describe), decision.Events.Select(Describe));
    }

    /// <summary>The decision refused with this kind, its message containing <paramref name="because"/>; nothing to append.</summary>
    public static void Refused(Decision decision, RefusalKind kind, string because)
    {
        Assert.False(decision.Accepted, $"accepted: {string.Join(", ", decision.Events.Select(e => e.GetType().Name))}");
        Assert.Equal(kind, decision.Refusal!.Kind);
        Assert.Contains(because, decision.Refusal.Message);
        Assert.Empty(decision.Events);
        Assert.Empty(decision.OtherStreams);
    }

    public static string Describe(object e) => $"{e.GetType().Name} {JsonSerializer.Serialize(e, e.GetType(), Json)}";
}
