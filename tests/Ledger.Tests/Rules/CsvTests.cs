using Ledger.Domain.Common;

namespace Ledger.Tests.Rules;

public sealed class CsvTests
{
    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var records = Csv.Parse("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n");
        Assert.Equal(3, records.Count);
        Assert.Equal(["x, y", "say \"hi\""], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal("two\nlines", records[2].Fields[0]);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public void Blank_lines_are_skipped_but_line_numbers_stay_true()
    {
        var records = Csv.Parse("\uFEFFa,b\r\n\r\n1,2\r\n");
        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(3, records[1].Line);
    }

    [Fact]
    public void A_last_line_without_a_line_end_is_read()
    {
        var records = Csv.Parse("a,b\n1,");
        Assert.Equal(["1", ""], records[1].Fields);
    }
}
