using Ledger.Api.EvidenceFiles;
using Ledger.Api.Http;
using Ledger.Api.Registry;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Ledger.Domain.Registry;
using Ledger.Projections.Documents;
using Marten;

namespace Ledger.Api.Documents;

/// <summary>The answer to an issue: the document's id, its number, the file's hash and where to download it.</summary>
public sealed record IssuedAnswer(Guid Id, string Number, int Serial, string Sha256, string Download);

/// <summary>Who a document is addressed to: the names (主送) and the codes of the towns and units among them.</summary>
public sealed record Addressees(IReadOnlyList<string> Names, IReadOnlyList<string> Towns, IReadOnlyList<string> Units);

/// <summary>
/// Issues a document (印发): checks the request, takes the office's next number for the year (the
/// register's turn, <see cref="Write.ToNumbered{T}"/>), composes the document under that number,
/// renders the .docx, keeps its bytes in the content-addressed file store, and appends
/// <see cref="DocumentIssued"/> with the frozen text and the file's hash. A correction cites the
/// document it corrects at the head of its body.
/// </summary>
public static class DocumentIssuing
{
    public static async Task<IResult> IssueAsync(Write write, IEvidenceStore files, CountyRules rules, DocumentKind kind,
        IssueRequest request, Addressees addressees, IReadOnlyList<Guid> inspectionIds, bool redHeader,
        Func<string, OfficialDocument> compose)
    {
        var corrected = request.Corrects is { } correctsId
            ? (await write.Reads.LoadAsync<IssuedDocumentView>(correctsId, write.Cancellation))?.Issued
            : null;
        if (request.Check(write.Caller, corrected) is { } refusal) return refusal.ToResult();

        var office = write.Caller.Role;
        var year = write.Today.Year;
        var format = rules.DocumentNumberFormat(write.County, office);
        return await write.ToNumbered<DocumentRegister>(DocumentRegister.IdFor(write.County, office, year), async (_, version) =>
        {
            var serial = checked((int)version + 1);
            var number = DocumentNumbers.Format(format, year, serial);
            var document = compose(number);
            if (corrected is not null)
                document = document with
                {
                    Body = [new Para($"本文件更正《{corrected.Title}》（{corrected.Number}），更正理由：{request.CorrectionReason!.Trim()}。原文件中与本文件不一致的内容，以本文件为准。"),
                        .. document.Body],
                };
            var bytes = DocxRenderer.Render(document);
            var stored = await files.PutAsync(write.County, new MemoryStream(bytes, writable: false), write.Cancellation);
            return Decision.Accept(new DocumentIssued(write.NewId(), DocumentRegister.IdFor(write.County, office, year), office, year, serial,
                number, kind, document.Title, addressees.Names, addressees.Towns, addressees.Units, inspectionIds,
                document.ToMarkdown(), stored.Sha256, stored.Size, redHeader, corrected?.DocumentId, corrected?.Number,
                request.CorrectionReason?.Trim(), write.Caller.User, write.Today));
        }, decision =>
        {
            var issued = (DocumentIssued)decision.Events[0];
            var download = $"/api/documents/{issued.DocumentId}";
            return (download, new IssuedAnswer(issued.DocumentId, issued.Number, issued.Serial, issued.FileSha256, download));
        });
    }

    /// <summary>The names of the towns, units and villages a document names, from the registry (a code it does not know stays a code).</summary>
    public static async Task<Func<string?, string>> NamesAsync(IQuerySession session, IEnumerable<string?> towns, IEnumerable<string?> units,
        IEnumerable<string?> villages, CancellationToken ct)
    {
        var registry = await RegistryReader.LoadAsync(session, towns, units, villages, ct);
        return code => Name(registry, code);
    }

    private static string Name(RegistryState registry, string? code) =>
        code is null ? "" :
        registry.Towns.TryGetValue(code, out var town) ? town.Name :
        registry.Units.TryGetValue(code, out var unit) ? unit.Name :
        registry.Villages.TryGetValue(code, out var village) ? village.Name : code;

    /// <summary>一、二、… for headings.</summary>
    public static string Ordinal(int n)
    {
        string[] digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        return n switch
        {
            < 10 => digits[n],
            10 => "十",
            < 20 => "十" + digits[n % 10],
            < 100 => digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]),
            _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A preview (GET …/draft): JSON with the Markdown text by default, the .docx or the Markdown when the Accept header asks.</summary>
    public static IResult Preview(HttpContext context, OfficialDocument document)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        if (accept.Any(a => a.MediaType.Value == DocxRenderer.MediaType))
            return Results.File(DocxRenderer.Render(document), DocxRenderer.MediaType, "draft.docx");
        if (accept.Any(a => a.MediaType.Value == "text/markdown"))
            return Results.Text(document.ToMarkdown(), "text/markdown; charset=utf-8", System.Text.Encoding.UTF8);
        return Results.Ok(new DocumentPreview(document.Title, document.Recipients, document.ToMarkdown()));
    }
}

/// <summary>A draft as JSON: title, recipients and the Markdown text it would be issued with (numbered then).</summary>
public sealed record DocumentPreview(string Title, IReadOnlyList<string> Recipients, string Text);
