using System.Text;

namespace Ledger.Domain.Common;

/// <summary>One CSV record and the line of the file it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside doubled),
/// CRLF or LF line ends, an optional UTF-8 byte-order mark. Blank lines are skipped.
/// </summary>
public static class Csv
{
    public static IReadOnlyList<CsvRecord> Parse(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;

        void EndField()
        {
            fields.Add(field.ToString());
            field.Clear();
            fieldStarted = false;
        }

        void EndRecord()
        {
            EndField();
            if (!(fields.Count == 1 && fields[0].Length == 0)) records.Add(new CsvRecord(recordLine, fields.ToArray()));
            fields.Clear();
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted && field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (field.Length > 0 || fields.Count > 0 || fieldStarted) EndRecord();
        return records;
    }
}
