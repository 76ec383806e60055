using Ledger.Domain.Audit;

namespace Ledger.Domain.Tests.Audit;

/// <summary>Which files an event cites, as the server (what to put in a case file) and the auditor (what must be there) read it.</summary>
public sealed class CaseBundleTests
{
    private const string Photo = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Scan = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void Evidence_items_with_a_hash_and_a_size_are_cited_wherever_they_are_nested()
    {
        var data = "{\"description\":\"x\",\"evidence\":[{\"title\":\"照片\",\"kind\":\"photo\",\"sha256\":\"" + Photo + "\",\"size\":12}]," +
            "\"response\":{\"evidence\":[{\"title\":\"扫描件\",\"sha256\":\"" + Scan + "\",\"size\":34,\"mediaType\":\"application/pdf\"}]}}";
        Assert.Equal(new[] { new CitedFile(Photo, 12), new CitedFile(Scan, 34) }, CaseBundle.Cited(data));
    }

    [Fact]
    public void A_typed_hash_without_a_size_a_malformed_hash_or_data_that_is_not_json_cite_nothing()
    {
        Assert.Empty(CaseBundle.Cited($$"""{"evidence":[{"title":"纸质","sha256":"{{Photo}}"}]}"""));
        Assert.Empty(CaseBundle.Cited("""{"evidence":[{"sha256":"ABC","size":3}]}"""));
        Assert.Empty(CaseBundle.Cited("not json"));
    }
}
