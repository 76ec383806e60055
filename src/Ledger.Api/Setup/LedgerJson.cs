using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Ledger.Api.Setup;

/// <summary>
/// JSON on the wire: camelCase, enum values as kebab-case codes (their Chinese labels travel in
/// <c>…Label</c> properties), Chinese text unescaped while HTML-sensitive characters stay escaped.
/// Storage in Marten keeps Marten's own defaults, so the API's format can change without a migration.
/// </summary>
public static class LedgerJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        // A field the command does not know is a mistake the caller should hear about, not a silent drop.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // A number is a JSON number: the web defaults also read "12" as 12, which the API document then
        // had to describe as "integer or string with a pattern" for every number (docs/api.md).
        options.NumberHandling = JsonNumberHandling.Strict;
    }
}
