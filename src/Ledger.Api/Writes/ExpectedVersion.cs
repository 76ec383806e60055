namespace Ledger.Api.Writes;

/// <summary>
/// The version a caller last read, as a write states it: the body's <c>expectedVersion</c>, or the
/// <c>If-Match</c> header (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>, as the ETag of a GET gives it).
/// Both, disagreeing, is an error.
/// </summary>
public static class ExpectedVersion
{
    public static (long? Version, string? Conflict) Read(long? bodyVersion, HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return (bodyVersion, null);
        var text = header.Trim();
        if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
        if (!long.TryParse(text.Trim('"'), out var headerVersion))
            return (null, $"If-Match '{header}' is not a version number");
        if (bodyVersion is not null && bodyVersion != headerVersion)
            return (null, $"If-Match says version {headerVersion} but expectedVersion says {bodyVersion}");
        return (headerVersion, null);
    }
}
