using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Ledger.Tests.Documents;

/// <summary>A .docx read back with the Open XML SDK: its paragraphs' text, and the fonts of the runs holding a text.</summary>
public sealed class DocxText
{
    public IReadOnlyList<string> Paragraphs { get; }
    public string Footer { get; }
    private readonly List<(string Text, string? Font, string? Color)> _runs = [];

    public DocxText(byte[] bytes)
    {
        using var word = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = word.MainDocumentPart!.Document!.Body!;
        Paragraphs = body.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        foreach (var run in body.Descendants<Run>())
            _runs.Add((run.InnerText, run.RunProperties?.RunFonts?.EastAsia?.Value, run.RunProperties?.Color?.Val?.Value));
        Footer = string.Join("\n", word.MainDocumentPart.FooterParts.Select(f => f.Footer!.OuterXml));
        var size = body.Descendants<PageSize>().Single();
        A4 = size.Width?.Value == 11906U && size.Height?.Value == 16838U;
    }

    public bool A4 { get; }

    /// <summary>
    /// Keeps an issued file as a sample when <c>LEDGER_DOCUMENT_SAMPLES</c> names a directory (set by
    /// scripts/document-pages.sh, which renders the samples' first pages for docs/documents.md); otherwise nothing.
    /// </summary>
    public static void KeepSample(string name, byte[] bytes)
    {
        if (Environment.GetEnvironmentVariable("LEDGER_DOCUMENT_SAMPLES") is not { Length: > 0 } directory) return;
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, name + ".docx"), bytes);
    }
    public string All => string.Join("\n", Paragraphs);
    public bool Has(string text) => Paragraphs.Any(p => p.Contains(text, StringComparison.Ordinal));
    public string? FontOf(string text) => _runs.FirstOrDefault(r => r.Text == text).Font;
    public string? ColorOf(string text) => _runs.FirstOrDefault(r => r.Text == text).Color;
}
