using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Ledger.Domain.Common;

/// <summary>
/// Enum values travel as kebab-case codes (<c>relatively-poor</c>) with a Chinese label
/// (<c>相对贫困村</c>). Input accepts either the code or the label.
/// </summary>
public static class Codes
{
    private static readonly ConcurrentDictionary<Enum, string> LabelCache = new();

    public static string CodeOf<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static string LabelOf<T>(T value) where T : struct, Enum =>
        LabelCache.GetOrAdd(value, v =>
            typeof(T).GetField(v.ToString())?.GetCustomAttribute<LabelAttribute>()?.Chinese ?? v.ToString());

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        var wanted = text?.Trim() ?? "";
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(CodeOf(candidate), wanted, StringComparison.OrdinalIgnoreCase)
                || LabelOf(candidate) == wanted)
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>"a (甲), b (乙)": the accepted values, for error messages.</summary>
    public static string Accepted<T>() where T : struct, Enum =>
        string.Join(", ", Enum.GetValues<T>().Select(v => $"{CodeOf(v)} ({LabelOf(v)})"));

    public static CodeLabel Describe<T>(T value) where T : struct, Enum => new(CodeOf(value), LabelOf(value));
}

/// <summary>An enum value as the API shows it: its code and its Chinese label.</summary>
public sealed record CodeLabel(string Code, string Label);
