using System.Text.Json;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.EvidenceFiles.EvidenceFilesMaker;

namespace Ledger.Tests.EvidenceFiles;

/// <summary><c>POST /api/evidence</c>: real files, their type read from their bytes, their hash computed by the server.</summary>
public sealed class UploadTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private Task<Fixtures.HttpResult> Upload(HttpContent content, string role = Roles.Inspector) =>
        Given.Send(HttpMethod.Post, "/api/evidence", Fixture.Token(role, scope: role == Roles.Respondent ? "town:440233100" : null), content);

    [Fact]
    public async Task A_pdf_and_a_photo_are_stored_under_the_hash_of_their_bytes()
    {
        var pdf = Pdf();
        var answer = await Scenarios.Expect(await Upload(Multipart(pdf, "签到表.pdf")), 201);
        Assert.Equal(Sha256(pdf), answer.GetProperty("sha256").GetString());
        Assert.Equal(pdf.Length, answer.GetProperty("size").GetInt64());
        Assert.Equal("application/pdf", answer.GetProperty("mediaType").GetString());
        Assert.Equal("签到表.pdf", answer.GetProperty("name").GetString());

        // The type comes from the bytes: a JPEG named .pdf is a JPEG.
        var photo = Jpeg();
        var named = await Scenarios.Expect(await Upload(Multipart(photo, "现场.pdf"), Roles.Respondent), 201);
        Assert.Equal("image/jpeg", named.GetProperty("mediaType").GetString());
        Assert.Equal(Sha256(photo), named.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task An_executable_named_jpg_is_refused_415_and_not_stored()
    {
        var response = await Upload(Multipart(Executable(), "photo.jpg"));
        Assert.Equal(415, response.StatusCode);
        Assert.Equal(0, await RowsAsync("ledger.evidence_chunks"));
        Assert.Equal(0, await RowsAsync("ledger.evidence_files"));
    }

    [Fact]
    public async Task A_reviewer_may_not_upload_and_nothing_is_read()
    {
        Assert.Equal(403, (await Upload(Multipart(Pdf(), "a.pdf"), Roles.Reviewer)).StatusCode);
        Assert.Equal(401, (await Given.Send(HttpMethod.Post, "/api/evidence", null, Multipart(Pdf(), "a.pdf"))).StatusCode);
    }

    [Fact]
    public async Task The_same_bytes_uploaded_twice_are_stored_once()
    {
        var pdf = Pdf();
        var first = await Scenarios.Expect(await Upload(Multipart(pdf, "a.pdf")), 201);
        var second = await Scenarios.Expect(await Upload(Multipart(pdf, "b.pdf"), Roles.PovertyOffice), 201);
        Assert.Equal(first.GetProperty("sha256").GetString(), second.GetProperty("sha256").GetString());
        Assert.Equal(1, await RowsAsync("ledger.evidence_chunks"));
    }

    [Fact]
    public async Task A_file_at_the_limit_streams_through_and_one_byte_more_is_413_with_nothing_kept()
    {
        // Generated as it is sent: the test never holds the file, and the server reads it in pieces.
        var atLimit = new GeneratedStream(LedgerFixture.EvidenceMaxBytes);
        var accepted = await Scenarios.Expect(await Upload(Multipart(new StreamContent(atLimit), "大文件.pdf")), 201);
        Assert.Equal(GeneratedStream.HashOf(LedgerFixture.EvidenceMaxBytes), accepted.GetProperty("sha256").GetString());
        Assert.Equal(LedgerFixture.EvidenceMaxBytes, accepted.GetProperty("size").GetInt64());

        var over = new GeneratedStream(LedgerFixture.EvidenceMaxBytes + 1, seed: 8);
        var refused = await Upload(Multipart(new StreamContent(over), "太大.pdf"));
        Assert.Equal(413, refused.StatusCode);
        Assert.Equal(0, await RowsAsync("ledger.evidence_uploads"));
        Assert.Equal(1, await RowsAsync("ledger.evidence_files"));   // only the first
        Assert.Equal(4, await RowsAsync("ledger.evidence_chunks"));  // 4 MiB in 1 MiB chunks
    }

    private static async Task<long> RowsAsync(string table)
    {
        await using var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_TEST_DB"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
