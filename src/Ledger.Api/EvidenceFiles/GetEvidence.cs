using System.Text.RegularExpressions;
using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace Ledger.Api.EvidenceFiles;

public static partial class GetEvidenceEndpoint
{
    /// <summary>
    /// 下载佐证材料: the file, to a caller who may read at least one record citing it, or to its
    /// uploader; 404 to anyone else (the same answer as for a hash the county does not hold). Before a
    /// byte is sent the stored bytes are hashed again: a mismatch is logged as a critical alarm and
    /// answered 500 with a problem saying so — never the damaged bytes. Ranges are served
    /// (<c>Range: bytes=…</c>, for audio and video); always as an attachment, with <c>nosniff</c>.
    /// </summary>
    [WolverineGet("/api/evidence/{sha256}")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IResult> Get(string sha256, Write write, EvidenceCatalog catalog, IEvidenceStore files, ILoggerFactory logs,
        HttpContext context)
    {
        var notFound = ProblemAnswers.NotFound($"no evidence file {sha256} you may read in this county").ToResult();
        if (!Sha256Pattern().IsMatch(sha256)) return notFound;
        var found = await catalog.FindAsync(write.County, [sha256], write.Cancellation);
        if (!found.TryGetValue(sha256, out var file) || !await EvidenceAccess.MayReadAsync(write, catalog, sha256)) return notFound;

        var stream = await files.OpenAsync(write.County, sha256, write.Cancellation);
        var actual = stream is null ? "(missing)" : await EvidenceHashing.HashAsync(stream, write.Cancellation);
        if (actual != sha256)
        {
            if (stream is not null) await stream.DisposeAsync();
            logs.CreateLogger("Ledger.Evidence").LogCritical(
                "ALARM: evidence file {Sha256} of county {County} is damaged in storage: its bytes hash to {Actual}", sha256, write.County, actual);
            return ProblemAnswers.EvidenceCorrupted(sha256).ToResult();
        }
        stream!.Position = 0;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(stream, file.MediaType, file.Name, entityTag: new EntityTagHeaderValue($"\"{sha256}\""),
            enableRangeProcessing: true);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
