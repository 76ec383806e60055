using System.Globalization;
using System.Text;

namespace Ledger.Api.Documents;

/// <summary>A piece of a document's body.</summary>
public abstract record Block;

/// <summary>A heading: level 1 (一、, 黑体) or level 2 (（一）, 楷体); the text carries its own numbering.</summary>
public sealed record Heading(int Level, string Text) : Block;

/// <summary>A body paragraph (仿宋, first line indented two characters).</summary>
public sealed record Para(string Text) : Block;

/// <summary>A table: its header row and rows of cells.</summary>
public sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

/// <summary>
/// The small model every document is written in, and rendered from — once to Markdown (the text
/// the issue freezes, and what programs read) and once to .docx (<see cref="DocxRenderer"/>): the
/// issuing office (its name heads a red-header document, 红头), the number (文号, none in a draft),
/// the title, the recipients (主送), the body, the signature (落款) and date, and an annex (附件).
/// </summary>
public sealed record OfficialDocument(
    string Office, string? Number, string Title, IReadOnlyList<string> Recipients, IReadOnlyList<Block> Body,
    string Signature, DateOnly Date, bool RedHeader, string? AnnexTitle = null, IReadOnlyList<Block>? Annex = null)
{
    /// <summary>A date as documents write it: 2017年8月1日.</summary>
    public static string ChineseDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    /// <summary>Amounts in yuan as documents write them: 150000.00 → 15万元 or 1234.5元.</summary>
    public static string Yuan(decimal amount) =>
        amount >= 10000 && amount % 100 == 0
            ? (amount / 10000m).ToString("0.####", CultureInfo.InvariantCulture) + "万元"
            : amount.ToString("0.##", CultureInfo.InvariantCulture) + "元";

    /// <summary>The recipients line: 主送：甲、乙。</summary>
    public string RecipientLine => Recipients.Count == 0 ? "" : $"{string.Join("、", Recipients)}：";

    /// <summary>The Markdown rendering: the exact text an issue freezes in its event.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        if (RedHeader) text.Append("**").Append(Office).AppendLine("**").AppendLine();
        if (Number is not null) text.AppendLine(Number).AppendLine();
        text.Append("# ").AppendLine(Title).AppendLine();
        if (Recipients.Count > 0) text.AppendLine(RecipientLine).AppendLine();
        Write(text, Body);
        text.AppendLine(Signature).AppendLine();
        text.AppendLine(ChineseDate(Date));
        if (Annex is { Count: > 0 })
        {
            text.AppendLine().Append("## 附件：").AppendLine(AnnexTitle ?? "").AppendLine();
            Write(text, Annex);
        }
        return text.ToString();
    }

    private static void Write(StringBuilder text, IEnumerable<Block> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: text.Append(h.Level <= 1 ? "## " : "### ").AppendLine(h.Text).AppendLine(); break;
                case Para p: text.AppendLine(p.Text).AppendLine(); break;
                case TableBlock t:
                    text.Append("| ").Append(string.Join(" | ", t.Header.Select(Cell))).AppendLine(" |");
                    text.Append('|').Append(string.Concat(t.Header.Select(_ => "---|"))).AppendLine();
                    foreach (var row in t.Rows) text.Append("| ").Append(string.Join(" | ", row.Select(Cell))).AppendLine(" |");
                    text.AppendLine();
                    break;
            }
        }
    }

    private static string Cell(string value) => value.Replace("|", "\\|").ReplaceLineEndings(" ");
}
