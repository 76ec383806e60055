using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Ledger.Api.Documents;

/// <summary>
/// Renders an <see cref="OfficialDocument"/> as a Word file (.docx) in the layout of GB/T 9704 (党政机关
/// 公文格式): A4 with margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; the title in
/// 方正小标宋简体 2号 (22 pt), the body in 仿宋_GB2312 3号 (16 pt) on a 28 pt line, level-1 headings in
/// 黑体 and level-2 in 楷体_GB2312; with the red header (红头) the issuing office in red 小标宋, the number
/// under it and a red rule; page numbers "— 1 —" in 宋体 4号 in the footer. The fonts are named: Word
/// and WPS use them where installed and substitute otherwise.
/// </summary>
public static class DocxRenderer
{
    public const string MediaType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public const string TitleFont = "方正小标宋简体", BodyFont = "仿宋_GB2312", HeadingFont = "黑体", SubheadingFont = "楷体_GB2312", PageNumberFont = "宋体";
    private const string Red = "FF0000";

    public static byte[] Render(OfficialDocument document)
    {
        using var memory = new MemoryStream();
        using (var word = WordprocessingDocument.Create(memory, WordprocessingDocumentType.Document))
        {
            var main = word.AddMainDocumentPart();
            var footer = main.AddNewPart<FooterPart>();
            footer.Footer = new Footer(new W.Paragraph(
                new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
                TextRun("— ", PageNumberFont, 28),
                new SimpleField(TextRun("1", PageNumberFont, 28)) { Instruction = " PAGE " },
                TextRun(" —", PageNumberFont, 28)));

            var body = new Body();
            if (document.RedHeader)
            {
                body.Append(Line(document.Office, TitleFont, 52, JustificationValues.Center, color: Red, spacingBefore: 0));
                if (document.Number is { } number) body.Append(Line(number, BodyFont, 32, JustificationValues.Center));
                body.Append(RedRule());
            }
            else if (document.Number is { } number)
                body.Append(Line(number, BodyFont, 32, JustificationValues.Right));
            body.Append(Line(document.Title, TitleFont, 44, JustificationValues.Center, spacingBefore: 560, spacingAfter: 560, exact: false));
            if (document.Recipients.Count > 0) body.Append(Line(document.RecipientLine, BodyFont, 32, JustificationValues.Left));
            Append(body, document.Body);
            body.Append(Line(document.Signature, BodyFont, 32, JustificationValues.Right, spacingBefore: 560));
            body.Append(Line(OfficialDocument.ChineseDate(document.Date), BodyFont, 32, JustificationValues.Right));
            if (document.Annex is { Count: > 0 } annex)
            {
                body.Append(new W.Paragraph(new W.Run(new Break { Type = BreakValues.Page })));
                body.Append(Line("附件", HeadingFont, 32, JustificationValues.Left));
                if (document.AnnexTitle is { } title) body.Append(Line(title, TitleFont, 36, JustificationValues.Center, spacingAfter: 280));
                Append(body, annex);
            }
            body.Append(new SectionProperties(
                new FooterReference { Type = HeaderFooterValues.Default, Id = main.GetIdOfPart(footer) },
                new W.PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U, Gutter = 0U }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return memory.ToArray();
    }

    private static void Append(Body body, IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading { Level: <= 1 } h: body.Append(Line(h.Text, HeadingFont, 32, JustificationValues.Left, indent: true)); break;
                case Heading h: body.Append(Line(h.Text, SubheadingFont, 32, JustificationValues.Left, indent: true)); break;
                case Para p:
                    foreach (var line in p.Text.ReplaceLineEndings("\n").Split('\n'))
                        body.Append(Line(line, BodyFont, 32, JustificationValues.Both, indent: true));
                    break;
                case TableBlock t: body.Append(Table(t)); break;
            }
        }
    }

    private static W.Paragraph Line(string text, string font, int halfPoints, JustificationValues justification,
        string? color = null, int spacingBefore = 0, int spacingAfter = 0, bool indent = false, bool exact = true)
    {
        var properties = new ParagraphProperties(
            new SpacingBetweenLines
            {
                Before = spacingBefore.ToString(), After = spacingAfter.ToString(),
                Line = exact ? "578" : "700", LineRule = LineSpacingRuleValues.Exact,
            },
            new Justification { Val = justification });
        if (indent) properties.Append(new Indentation { FirstLineChars = 200, FirstLine = (halfPoints * 20).ToString() });
        return new W.Paragraph(properties, TextRun(text, font, halfPoints, color));
    }

    private static W.Run TextRun(string text, string font, int halfPoints, string? color = null)
    {
        var properties = new RunProperties(
            new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font, ComplexScript = font },
            new FontSize { Val = halfPoints.ToString() },
            new FontSizeComplexScript { Val = halfPoints.ToString() });
        if (color is not null) properties.Append(new Color { Val = color });
        return new W.Run(properties, new Text(text) { Space = SpaceProcessingModeValues.Preserve });
    }

    /// <summary>The red rule under a red header (版头分隔线).</summary>
    private static W.Paragraph RedRule() => new(new ParagraphProperties(
        new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Color = Red, Size = 18U, Space = 1U }),
        new SpacingBetweenLines { Before = "0", After = "280" }));

    private static Table Table(TableBlock table)
    {
        static TableCell Cell(string text, bool header) => new(
            new TableCellProperties(new TableCellWidth { Type = TableWidthUnitValues.Auto }),
            new W.Paragraph(
                new ParagraphProperties(new Justification { Val = header ? JustificationValues.Center : JustificationValues.Left }),
                TextRun(text, header ? HeadingFont : BodyFont, 24)));
        var border = (uint)4;
        var result = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = border }, new BottomBorder { Val = BorderValues.Single, Size = border },
                new LeftBorder { Val = BorderValues.Single, Size = border }, new RightBorder { Val = BorderValues.Single, Size = border },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = border }, new InsideVerticalBorder { Val = BorderValues.Single, Size = border })));
        result.Append(new TableRow(table.Header.Select(h => Cell(h, true))));
        foreach (var row in table.Rows) result.Append(new TableRow(row.Select(c => Cell(c, false))));
        return result;
    }
}
