using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace Ledger.Api.EvidenceFiles;

public static class GetEvidenceEndpoint
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
        var file = await EvidenceAccess.ReadableAsync(write, catalog, sha256);
        if (file is null) return ProblemAnswers.NotFound($"no evidence file {sha256} you may read in this county").ToResult();
        var (stream, alarm) = await EvidenceAccess.OpenIntactAsync(files, logs, write.County, sha256, write.Cancellation);
        if (alarm is not null) return alarm;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(stream!, file.MediaType, file.Name, entityTag: new EntityTagHeaderValue($"\"{sha256}\""),
            enableRangeProcessing: true);
    }
}
