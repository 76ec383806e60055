using System.Globalization;
using Ledger.Domain.Common;

namespace Ledger.Domain.Registry;

/// <summary>The four registry files; the header row says which one a file is.</summary>
public enum RegistryFileKind
{
    /// <summary>镇（街）</summary>
    [Label("镇（街）")] Towns,
    /// <summary>村</summary>
    [Label("村")] Villages,
    /// <summary>单位</summary>
    [Label("单位")] Units,
    /// <summary>结对帮扶关系</summary>
    [Label("结对帮扶关系")] Pairings,
}

public sealed record RowError(int Line, string Reason);

/// <summary>Events to append to one stream; <c>ExpectedVersion</c> 0 starts a new stream.</summary>
public sealed record RegistryWrite(Guid StreamId, long ExpectedVersion, IReadOnlyList<object> Events);

public sealed record RegistryImportPlan(
    RegistryFileKind? Kind, int Rows, int Unchanged, IReadOnlyList<RegistryWrite> Writes, IReadOnlyList<RowError> Errors)
{
    public bool IsValid => Errors.Count == 0;
    public int EventCount => Writes.Sum(w => w.Events.Count);
}

// What the registry holds now, as far as an import needs to know.
public sealed record KnownTown(string Code, string Name, TownKind Kind, long Version);
public sealed record KnownVillage(string Code, string TownCode, string Name, VillageStatus Status, IReadOnlyDictionary<string, PairingKind> Pairings, long Version);
public sealed record KnownUnit(string Code, string Name, UnitKind Kind, bool LeadingGroupMember, string? TownCode, long Version);

public sealed record RegistryState(
    IReadOnlyDictionary<string, KnownTown> Towns,
    IReadOnlyDictionary<string, KnownVillage> Villages,
    IReadOnlyDictionary<string, KnownUnit> Units);

/// <summary>
/// Decides what a registry CSV file changes. All or nothing: one bad row refuses the whole file,
/// and every bad row is reported with its line. A row equal to what the registry holds appends
/// nothing, so re-importing a file is harmless.
/// </summary>
public static class RegistryImport
{
    public const string DefaultChangeReason = "登记表导入更新 (registry import)";

    private static readonly Dictionary<RegistryFileKind, (string[] Required, string[] Optional)> Columns = new()
    {
        [RegistryFileKind.Towns] = (["town_code", "name", "kind"], ["reason"]),
        [RegistryFileKind.Villages] = (["village_code", "town_code", "name", "status"], ["status_date", "status_basis", "reason"]),
        [RegistryFileKind.Units] = (["unit_code", "name", "kind", "leading_group_member"], ["town_code", "reason"]),
        [RegistryFileKind.Pairings] = (["unit_code", "village_code", "kind"], ["since"]),
    };

    public static string DescribeFormats() => string.Join("; ", Columns.Select(c =>
        $"{Codes.CodeOf(c.Key)}: {string.Join(",", c.Value.Required)}" +
        (c.Value.Optional.Length > 0 ? $" [+ {string.Join(",", c.Value.Optional)}]" : "")));

    public static RegistryImportPlan Plan(string county, string csvText, RegistryState state, DateOnly today)
    {
        var records = Csv.Parse(csvText);
        if (records.Count == 0)
            return Refused(null, 0, new RowError(1, "the file is empty; the first row must name the columns: " + DescribeFormats()));

        var header = records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToArray();
        var kind = DetectKind(header);
        if (kind is null)
            return Refused(null, records.Count - 1, new RowError(records[0].Line,
                $"unrecognised header '{string.Join(",", header)}'; expected one of: {DescribeFormats()}"));

        var rows = records.Skip(1).ToList();
        var errors = new List<RowError>();
        var seen = new Dictionary<string, int>();
        var writes = new Dictionary<Guid, (long Version, List<object> Events)>();
        var unchanged = 0;

        foreach (var record in rows)
        {
            if (record.Fields.Count != header.Length)
            {
                errors.Add(new RowError(record.Line, $"has {record.Fields.Count} columns, the header has {header.Length}"));
                continue;
            }
            var row = new Row(header, record.Fields);
            var rowErrors = new List<string>();
            var outcome = kind switch
            {
                RegistryFileKind.Towns => PlanTown(county, row, state, today, rowErrors),
                RegistryFileKind.Villages => PlanVillage(county, row, state, today, rowErrors),
                RegistryFileKind.Units => PlanUnit(county, row, state, today, rowErrors),
                _ => PlanPairing(county, row, state, today, rowErrors),
            };

            if (outcome.Key is { } key)
            {
                if (seen.TryGetValue(key, out var firstLine)) rowErrors.Add($"duplicate: {key} already appears on line {firstLine}");
                else seen[key] = record.Line;
            }

            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors.Select(e => new RowError(record.Line, e)));
                continue;
            }
            if (outcome.Events.Count == 0)
            {
                unchanged++;
                continue;
            }
            if (!writes.TryGetValue(outcome.StreamId, out var write))
            {
                write = (outcome.ExpectedVersion, new List<object>());
                writes[outcome.StreamId] = write;
            }
            write.Events.AddRange(outcome.Events);
        }

        if (errors.Count > 0) return Refused(kind, rows.Count, errors.ToArray());
        return new RegistryImportPlan(kind, rows.Count, unchanged,
            writes.Select(w => new RegistryWrite(w.Key, w.Value.Version, w.Value.Events)).ToList(), []);
    }

    private static RegistryImportPlan Refused(RegistryFileKind? kind, int rows, params RowError[] errors) =>
        new(kind, rows, 0, [], errors);

    /// <summary>
    /// What a file holds, by its header row (null when unrecognised or empty): how an import of several files puts
    /// towns before villages, units and pairings, whatever order they were given in.
    /// </summary>
    public static RegistryFileKind? KindOf(string csvText)
    {
        var records = Csv.Parse(csvText);
        return records.Count == 0 ? null : DetectKind(records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToArray());
    }

    private static RegistryFileKind? DetectKind(string[] header)
    {
        foreach (var (kind, (required, optional)) in Columns)
        {
            if (required.All(header.Contains)
                && header.All(h => required.Contains(h) || optional.Contains(h))
                && header.Distinct().Count() == header.Length)
                return kind;
        }
        return null;
    }

    private sealed record Outcome(string? Key, Guid StreamId, long ExpectedVersion, IReadOnlyList<object> Events)
    {
        public static readonly Outcome Invalid = new(null, Guid.Empty, 0, []);
    }

    private sealed class Row(string[] header, IReadOnlyList<string> fields)
    {
        public string Get(string column)
        {
            var i = Array.IndexOf(header, column);
            return i < 0 ? "" : fields[i].Trim();
        }

        public string Required(string column, List<string> errors)
        {
            var value = Get(column);
            if (value.Length == 0) errors.Add($"{column} is missing");
            return value;
        }

        public T? Enum<T>(string column, List<string> errors) where T : struct, System.Enum
        {
            var text = Required(column, errors);
            if (text.Length == 0) return null;
            if (Codes.TryParse<T>(text, out var value)) return value;
            errors.Add($"{column} '{text}' is not one of: {Codes.Accepted<T>()}");
            return null;
        }

        public DateOnly? Date(string column, List<string> errors)
        {
            var text = Get(column);
            if (text.Length == 0) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            errors.Add($"{column} '{text}' is not a date of the form yyyy-MM-dd");
            return null;
        }

        public string Reason => Get("reason") is { Length: > 0 } r ? r : DefaultChangeReason;
    }

    private static bool IsDigits(string s, int length) => s.Length == length && s.All(char.IsAsciiDigit);

    public static bool IsValidUnitCode(string code) =>
        code.Length is >= 1 and <= 32 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static Outcome PlanTown(string county, Row row, RegistryState state, DateOnly today, List<string> errors)
    {
        var code = row.Required("town_code", errors);
        var name = row.Required("name", errors);
        var kind = row.Enum<TownKind>("kind", errors);
        if (code.Length > 0 && !(IsDigits(code, 9) && code.StartsWith(county, StringComparison.Ordinal)))
            errors.Add($"town_code '{code}' must be 9 digits beginning with the county code {county}");
        if (code.Length > 0 && state.Units.ContainsKey(code))
            errors.Add($"town_code '{code}' is the code of a unit: a town's code must differ from every unit's, or a scope would be ambiguous");
        if (errors.Count > 0 || kind is null) return Outcome.Invalid with { Key = code.Length > 0 ? code : null };

        var id = RegistryIds.Town(county, code);
        if (!state.Towns.TryGetValue(code, out var known))
            return new Outcome(code, id, 0, [new TownRegistered(id, code, name, kind.Value, today)]);
        if (known.Kind != kind)
        {
            errors.Add($"town {code} is registered as {Codes.LabelOf(known.Kind)}; a town's kind cannot be changed by import");
            return Outcome.Invalid with { Key = code };
        }
        return known.Name == name
            ? new Outcome(code, id, known.Version, [])
            : new Outcome(code, id, known.Version, [new TownRenamed(id, code, known.Name, name, today, row.Reason)]);
    }

    private static Outcome PlanVillage(string county, Row row, RegistryState state, DateOnly today, List<string> errors)
    {
        var code = row.Required("village_code", errors);
        var townCode = row.Required("town_code", errors);
        var name = row.Required("name", errors);
        var status = row.Enum<VillageStatus>("status", errors);
        var statusDate = row.Date("status_date", errors);  // the date and basis of the status at registration
        var basis = row.Get("status_basis");
        if (townCode.Length > 0 && !state.Towns.ContainsKey(townCode))
            errors.Add($"unknown town code '{townCode}'");
        if (code.Length > 0 && townCode.Length > 0 && !(IsDigits(code, 12) && code.StartsWith(townCode, StringComparison.Ordinal)))
            errors.Add($"village_code '{code}' must be 12 digits beginning with its town code {townCode}");
        if (errors.Count > 0 || status is null) return Outcome.Invalid with { Key = code.Length > 0 ? code : null };

        var id = RegistryIds.Village(county, code);
        if (!state.Villages.TryGetValue(code, out var known))
            return new Outcome(code, id, 0,
                [new VillageRegistered(id, townCode, code, name, status.Value, statusDate ?? today, basis.Length > 0 ? basis : null)]);

        if (known.TownCode != townCode)
        {
            errors.Add($"village {code} belongs to town {known.TownCode}; it cannot move to {townCode}");
            return Outcome.Invalid with { Key = code };
        }
        var events = new List<object>();
        if (known.Name != name)
            events.Add(new VillageRenamed(id, townCode, code, known.Name, name, today, row.Reason));
        if (known.Status != status)
        {
            errors.Add($"status is {Codes.LabelOf(known.Status)} in the registry: a village's status changes only through a " +
                       "completed village decision (POST /api/decisions), not by import");
            return Outcome.Invalid with { Key = code };
        }
        return new Outcome(code, id, known.Version, events);
    }

    private static Outcome PlanUnit(string county, Row row, RegistryState state, DateOnly today, List<string> errors)
    {
        var code = row.Required("unit_code", errors);
        var name = row.Required("name", errors);
        var kind = row.Enum<UnitKind>("kind", errors);
        var memberText = row.Required("leading_group_member", errors);
        var townCode = row.Get("town_code");
        bool? member = memberText.ToLowerInvariant() switch
        {
            "yes" or "true" or "1" or "是" => true,
            "no" or "false" or "0" or "否" => false,
            "" => null,
            _ => null,
        };
        if (memberText.Length > 0 && member is null)
            errors.Add($"leading_group_member '{memberText}' must be yes/no (是/否)");
        if (code.Length > 0 && !IsValidUnitCode(code))
            errors.Add($"unit_code '{code}' must be 1–32 letters, digits, '-' or '_'");
        if (state.Towns.ContainsKey(code))
            errors.Add($"unit_code '{code}' is the code of a town: a unit's code must differ from every town's, or a scope would be ambiguous");
        if (townCode.Length > 0 && !state.Towns.ContainsKey(townCode))
            errors.Add($"unknown town code '{townCode}'");
        if (kind == UnitKind.WorkTeam && townCode.Length == 0)
            errors.Add("a resident work team (驻镇(街)工作组) needs the town_code of the town it is stationed in");
        if (errors.Count > 0 || kind is null || member is null) return Outcome.Invalid with { Key = code.Length > 0 ? code : null };

        var id = RegistryIds.Unit(county, code);
        var town = townCode.Length > 0 ? townCode : null;
        if (!state.Units.TryGetValue(code, out var known))
            return new Outcome(code, id, 0, [new UnitRegistered(id, code, name, kind.Value, member.Value, town, today)]);
        var same = known.Name == name && known.Kind == kind && known.LeadingGroupMember == member && known.TownCode == town;
        return same
            ? new Outcome(code, id, known.Version, [])
            : new Outcome(code, id, known.Version, [new UnitDetailsChanged(id, code, name, kind.Value, member.Value, town, today, row.Reason)]);
    }

    private static Outcome PlanPairing(string county, Row row, RegistryState state, DateOnly today, List<string> errors)
    {
        var unitCode = row.Required("unit_code", errors);
        var villageCode = row.Required("village_code", errors);
        var kind = row.Enum<PairingKind>("kind", errors);
        var since = row.Date("since", errors);
        if (unitCode.Length > 0 && !state.Units.ContainsKey(unitCode)) errors.Add($"unknown unit code '{unitCode}'");
        if (villageCode.Length > 0 && !state.Villages.ContainsKey(villageCode)) errors.Add($"unknown village code '{villageCode}'");
        var key = unitCode.Length > 0 && villageCode.Length > 0 ? $"{unitCode}→{villageCode}" : null;
        if (errors.Count > 0 || kind is null) return Outcome.Invalid with { Key = key };

        var village = state.Villages[villageCode];
        var id = RegistryIds.Village(county, villageCode);
        if (village.Pairings.TryGetValue(unitCode, out var existing))
        {
            if (existing == kind) return new Outcome(key, id, village.Version, []);
            errors.Add($"unit {unitCode} is already paired with village {villageCode} as {Codes.LabelOf(existing)}");
            return Outcome.Invalid with { Key = key };
        }
        return new Outcome(key, id, village.Version,
            [new VillagePaired(id, village.TownCode, villageCode, RegistryIds.Unit(county, unitCode), unitCode, kind.Value, since ?? today)]);
    }
}
