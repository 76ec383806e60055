using System.Text.Json;

namespace Ledger.Domain.Audit;

/// <summary>
/// The case file a reviewer takes away (案卷; <c>GET /api/cases/{id}/bundle</c> makes it, <c>ledger audit</c> checks it;
/// docs/evidence.md, "The case file"). A zip archive of one case:
/// <list type="bullet">
/// <item><c>bundle.json</c>: the <see cref="CaseBundleManifest"/> (its format tells it from an <see cref="AuditBundle"/>);</item>
/// <item><c>events.ndjson</c>: the case's events, one <see cref="BundledEvent"/> per line in leaf order, each with its
/// inclusion proof (<see cref="BundledEvent.AuditPath"/>) in the tree of the manifest's signed head;</item>
/// <item><c>files/{sha256}</c>: every evidence file the events cite (<see cref="Cited"/>), named by its SHA-256;</item>
/// <item><c>public-key.pem</c>: the key the ledger says it signs with (the auditor trusts its own copy, not this one);</item>
/// <item><c>README.txt</c>: how to check it, by hand and with <c>ledger audit</c>, in Chinese.</item>
/// </list>
/// All JSON is written and read with <see cref="AuditBundle.Json"/>.
/// </summary>
public static class CaseBundle
{
    public const string Format = "ledger-case-bundle-v1";
    public const string ManifestFile = AuditBundle.ManifestFile;
    public const string EventsFile = AuditBundle.EventsFile;
    public const string PublicKeyFile = AuditBundle.PublicKeyFile;
    public const string ReadmeFile = "README.txt";
    public const string FilesFolder = "files/";

    /// <summary>The entry of the zip that holds the file with this SHA-256.</summary>
    public static string FileEntry(string sha256) => FilesFolder + sha256;

    /// <summary>
    /// The files an event's data cites: every object in it with a <c>sha256</c> (64 lowercase hex) and a <c>size</c> —
    /// the evidence items of any record (an item with a hash but no size was typed in before files were kept, and
    /// cites no file). The same reading on the server (which files to put in) and in the auditor (which files must be there).
    /// </summary>
    public static IReadOnlyList<CitedFile> Cited(string dataJson)
    {
        var cited = new List<CitedFile>();
        try
        {
            using var document = JsonDocument.Parse(dataJson);
            Walk(document.RootElement, cited);
        }
        catch (JsonException)
        {
            // Data that is not JSON cites nothing (the event's content hash already says whether it was changed).
        }
        return cited;
    }

    private static void Walk(JsonElement element, List<CitedFile> cited)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                string? sha = null;
                long? size = null;
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("sha256") || property.NameEquals("Sha256"))
                        sha = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    else if ((property.NameEquals("size") || property.NameEquals("Size")) && property.Value.TryGetInt64(out var n)) size = n;
                    else Walk(property.Value, cited);
                }
                if (sha is { Length: 64 } && sha.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f') && size is { } s)
                    cited.Add(new CitedFile(sha, s));
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, cited);
                break;
        }
    }
}

/// <summary>
/// The case file's manifest: its format (<see cref="CaseBundle.Format"/>), county, the case (its stream id), the
/// signed head every event is proved against, and when it was made.
/// </summary>
public sealed record CaseBundleManifest(string Format, string County, Guid CaseId, SignedHead Head, DateTimeOffset MadeAt);

/// <summary>A file an event cites: its SHA-256 (lowercase hex) and size in bytes.</summary>
public sealed record CitedFile(string Sha256, long Size);
