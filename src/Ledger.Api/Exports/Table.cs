using Ledger.Api.Writes;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Ledger.Api.Exports;

/// <summary>
/// A list as the office downloads it: Chinese column headers and text cells, written as CSV
/// (UTF-8 with a byte-order mark, so Excel reads the Chinese) or as an Excel workbook (.xlsx).
/// </summary>
public sealed record Table(string SheetName, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    public const string CsvType = "text/csv";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static bool WantsCsv(HttpContext context) =>
        context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value == CsvType);

    /// <summary>The table as CSV, written to the response row by row (never whole in memory as text).</summary>
    public IResult ToCsv(string fileName) => Results.Stream(async stream =>
    {
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024, leaveOpen: true);
        foreach (var row in Rows.Prepend(Headers))
        {
            await writer.WriteAsync(string.Join(",", row.Select(Quote)));
            await writer.WriteAsync("\r\n");
        }
    }, $"{CsvType}; charset=utf-8", fileName);

    public IResult ToXlsx(string fileName) => Workbook(fileName, this);

    public string Csv()
    {
        var text = new StringBuilder();
        foreach (var row in Rows.Prepend(Headers))
            text.Append(string.Join(",", row.Select(Quote))).Append("\r\n");
        return text.ToString();
    }

    /// <summary>
    /// A cell that begins with = + - @ would be read by Excel as a formula; such text gets a leading
    /// apostrophe (CSV injection), and anything with commas, quotes or line breaks is quoted.
    /// </summary>
    private static string Quote(string? cell)
    {
        var value = cell ?? "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !decimal.TryParse(value, out _)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    /// <summary>An Excel workbook with one sheet per table, in order, each sheet written row by row (see <see cref="ZipDownload"/>).</summary>
    public static IResult Workbook(string fileName, params Table[] sheets) => ZipDownload.Of(XlsxType, fileName, zip => WriteWorkbookAsync(zip, sheets));

    private static async Task WriteWorkbookAsync(ZipArchive zip, IReadOnlyList<Table> sheets)
    {
        static Task Entry(ZipArchive zip, string path, Func<StreamWriter, Task> write) => ZipDownload.EntryAsync(zip, path, async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 16 * 1024);
            await write(writer);
        }, CompressionLevel.Fastest);
        var numbers = Enumerable.Range(1, sheets.Count).ToList();
        await Entry(zip, "[Content_Types].xml", w => w.WriteAsync(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>""" +
            string.Concat(numbers.Select(n => $"""<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>""")) + "</Types>"));
        await Entry(zip, "_rels/.rels", w => w.WriteAsync(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"""));
        await Entry(zip, "xl/workbook.xml", w => w.WriteAsync(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>""" +
            string.Concat(numbers.Select(n => $"""<sheet name="{SecurityElement.Escape(sheets[n - 1].SheetName)}" sheetId="{n}" r:id="rId{n}"/>""")) + "</sheets></workbook>"));
        await Entry(zip, "xl/_rels/workbook.xml.rels", w => w.WriteAsync(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""" +
            string.Concat(numbers.Select(n => $"""<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>""")) + "</Relationships>"));
        foreach (var n in numbers) await Entry(zip, $"xl/worksheets/sheet{n}.xml", sheets[n - 1].WriteSheetAsync);
    }

    /// <summary>The sheet's XML, a row at a time.</summary>
    private async Task WriteSheetAsync(StreamWriter writer)
    {
        await writer.WriteAsync("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
        var r = 1;
        var row = new StringBuilder();
        foreach (var cells in Rows.Prepend(Headers))
        {
            row.Clear().Append($"<row r=\"{r++}\">");
            foreach (var cell in cells)
                row.Append("<c t=\"inlineStr\"><is><t xml:space=\"preserve\">").Append(SecurityElement.Escape(Clean(cell ?? ""))).Append("</t></is></c>");
            await writer.WriteAsync(row.Append("</row>"));
        }
        await writer.WriteAsync("</sheetData></worksheet>");
    }

    /// <summary>XML 1.0 cannot carry most control characters: they are dropped from cells.</summary>
    private static string Clean(string text) =>
        text.Any(c => char.IsControl(c) && c is not '\t' and not '\n' and not '\r') ? new string(text.Where(c => !char.IsControl(c) || c is '\t' or '\n' or '\r').ToArray()) : text;
}
