using Ledger.Api.EvidenceFiles;
using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Documents;
using Ledger.Projections.Documents;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Wolverine.Http;

namespace Ledger.Api.Documents;

/// <summary>An issued document as lists show it: everything the issue froze but the text.</summary>
public sealed record DocumentSummary(Guid Id, string Number, Ledger.Domain.Documents.DocumentKind Kind, string KindLabel, string Title,
    IReadOnlyList<string> Recipients, IReadOnlyList<Guid> InspectionIds, string IssuingOffice, string IssuedBy, DateOnly IssuedOn,
    string Sha256, long Size, Guid? Corrects, string? CorrectsNumber);

public static class GetDocumentEndpoint
{
    /// <summary>
    /// 下载公文: the issued document by id or by number (文号), exactly as issued — the .docx bytes kept at
    /// issue, checked against the hash the event froze before a byte is sent; with <c>Accept: text/markdown</c>
    /// the frozen text, with <c>Accept: application/json</c> what was issued. For the offices and reviewers,
    /// the team of an inspection it is about, and the towns and units it is addressed to; 404 to anyone else.
    /// </summary>
    [WolverineGet("/api/documents/{key}")]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IResult> Get(string key, Write write, IEvidenceStore files, ILoggerFactory logs, HttpContext context)
    {
        var found = Guid.TryParse(key, out var id)
            ? await write.Reads.LoadAsync<IssuedDocumentView>(id, write.Cancellation)
            : await write.Reads.Query<IssuedDocumentView>().FirstOrDefaultAsync(d => d.Number == key, write.Cancellation);
        if (found is null || !await MayReadAsync(write, found.Issued))
            return ProblemAnswers.NotFound($"no issued document {key} you may read in this county").ToResult();
        var issued = found.Issued;

        var accept = context.Request.GetTypedHeaders().Accept;
        if (accept.Any(a => a.MediaType.Value == "text/markdown"))
            return Results.Text(issued.Text, "text/markdown; charset=utf-8", System.Text.Encoding.UTF8);
        if (accept.Any(a => a.MediaType.Value == "application/json"))
            return Results.Ok(Summarise(found));

        // The issued file is kept in the evidence store: re-hashed as it is read, a mismatch is the same alarm.
        var (stream, alarm) = await EvidenceAccess.OpenIntactAsync(files, logs, write.County, issued.FileSha256, write.Cancellation);
        if (alarm is not null) return alarm;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Stream(stream!, DocxRenderer.MediaType, $"{issued.Number}.docx", entityTag: new EntityTagHeaderValue($"\"{issued.FileSha256}\""));
    }

    /// <summary>The documents issued in the county that the caller may read, newest first; optionally of one kind.</summary>
    [WolverineGet("/api/documents")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<IReadOnlyList<DocumentSummary>>(200)]
    public static async Task<IResult> List(Write write)
    {
        var all = await write.Reads.Query<IssuedDocumentView>().ToListAsync(write.Cancellation);
        var readable = new List<DocumentSummary>();
        foreach (var view in all.OrderByDescending(d => d.Issued.IssuedOn).ThenByDescending(d => d.Issued.Year).ThenByDescending(d => d.Issued.Serial))
            if (await MayReadAsync(write, view.Issued)) readable.Add(Summarise(view));
        return Results.Ok(readable);
    }

    public static DocumentSummary Summarise(IssuedDocumentView view)
    {
        var e = view.Issued;
        return new(e.DocumentId, e.Number, e.Kind, view.KindLabel, e.Title, e.Recipients, e.InspectionIds, e.IssuingOffice, e.IssuedBy,
            e.IssuedOn, e.FileSha256, e.FileSize, e.Corrects, e.CorrectsNumber);
    }

    private static async Task<bool> MayReadAsync(Write write, DocumentIssued issued)
    {
        var onTeam = false;
        if (write.Caller.Role == Roles.Inspector && issued.InspectionIds.Count > 0)
        {
            var inspections = await write.Reads.LoadManyAsync<InspectionView>(write.Cancellation, issued.InspectionIds);
            onTeam = inspections.Any(i => i.IsOnTeam(write.Caller.User));
        }
        return AccessRules.CanReadDocument(write.Caller, issued.RecipientTowns, issued.RecipientUnits, onTeam);
    }
}
