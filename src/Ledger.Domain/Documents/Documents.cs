using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Documents;

/// <summary>What kind of official document (公文) the county issues from the ledger.</summary>
public enum DocumentKind
{
    /// <summary>督查通报: results of one or more inspections, to every town and unit concerned.</summary>
    [Label("督查通报")] Notice,
    /// <summary>督查报告: an inspection's report (Art. 10.3), rendered from the report the team leader submitted.</summary>
    [Label("督查报告")] InspectionReport,
    /// <summary>汇总报告: a period's summary for 县委/县政府 (Art. 6, 11–12).</summary>
    [Label("汇总报告")] SummaryReport,
}

/// <summary>
/// 印发公文: a document issued under a number (文号) of its office's register for the year, its content
/// frozen: the title, recipients, the exact rendered text (Markdown) and the SHA-256 and size of the
/// .docx file kept byte for byte in the file store. <c>Serial</c> is the version of the register stream
/// (one per county, office and year), so numbers run 1, 2, 3… without gaps or repeats. A correction
/// is a new document citing the one it corrects (<c>Corrects</c>, its number and the reason);
/// <c>Recipients</c> names them, <c>RecipientTowns</c>/<c>RecipientUnits</c> are their codes (who may read it).
/// </summary>
[Label("印发公文")]
public sealed record DocumentIssued(
    Guid DocumentId, Guid RegisterId, string IssuingOffice, int Year, int Serial, string Number, DocumentKind Kind,
    string Title, IReadOnlyList<string> Recipients, IReadOnlyList<string> RecipientTowns, IReadOnlyList<string> RecipientUnits,
    IReadOnlyList<Guid> InspectionIds, string Text, string FileSha256, long FileSize, bool RedHeader,
    Guid? Corrects, string? CorrectsNumber, string? CorrectionReason, string IssuedBy, DateOnly IssuedOn);

/// <summary>An office's register of document numbers for one year: how many it has issued (the write model).</summary>
public sealed record DocumentRegister(Guid Id, int Issued)
{
    public static DocumentRegister Create(DocumentIssued e) => new(e.RegisterId, e.Serial);
    public DocumentRegister Apply(DocumentIssued e) => this with { Issued = e.Serial };

    /// <summary>The register of a county's office for a year (its stream id follows from them).</summary>
    public static Guid IdFor(string county, string office, int year) => StableId.For("document-register", county, $"{office}:{year}");
}

/// <summary>Document numbers (文号): the county's format, with <c>{year}</c> and <c>{n}</c>.</summary>
public static class DocumentNumbers
{
    /// <summary>The formats used when the county sets none: 县委督查室 and 县扶贫办.</summary>
    public static string DefaultFormat(string office) => office == Roles.PovertyOffice ? "县扶贫办〔{year}〕{n}号" : "县委督查室〔{year}〕{n}号";

    public static string Format(string format, int year, int serial) =>
        format.Replace("{year}", year.ToString(System.Globalization.CultureInfo.InvariantCulture))
              .Replace("{n}", serial.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The issuing office's name as it heads a red-header document (红头).</summary>
    public static string OfficeName(string office) => office == Roles.PovertyOffice ? "县扶贫开发领导小组办公室" : "县委督查室";

    /// <summary>The offices issue documents: 县委督查室 and 县扶贫办 (Art. 6, 10.1).</summary>
    public static bool MayIssue(Caller caller) => caller.Role is Roles.InspectionOffice or Roles.PovertyOffice;
}

/// <summary>
/// What the office asks to issue, checked before a number is taken: a title, at least one recipient,
/// a correction with its reason (and only of a document of the same county that exists).
/// </summary>
public sealed record IssueRequest(string Title, IReadOnlyList<string> Recipients, Guid? Corrects, string? CorrectionReason)
{
    public Refusal? Check(Caller caller, DocumentIssued? corrected)
    {
        if (!DocumentNumbers.MayIssue(caller)) return Refusal.Forbidden("documents are issued by the inspection office or the poverty office");
        var checks = new Checks();
        checks.Text(Title, "title");
        checks.That(Recipients.Count > 0, "a document needs at least one recipient (主送)");
        for (var i = 0; i < Recipients.Count; i++) checks.Text(Recipients[i], $"recipients[{i}]");
        if (Corrects is not null) checks.Text(CorrectionReason, "correctionReason", Checks.LongText);
        else checks.That(CorrectionReason is null, "correctionReason is only for a correction (corrects)");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (Corrects is { } id && corrected is null) return Refusal.NotFound($"no issued document {id} to correct in this county");
        return null;
    }
}
