using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ledger.Api.Audit;
using Ledger.Api.Auth;
using Ledger.Api.EvidenceFiles;
using Ledger.Api.Exports;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Marten;
using Marten.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace Ledger.Api.Cases;

public static class GetCaseBundle
{
    private const string Chain = $"{MartenSetup.Schema}.{LedgerTables.ChainName}";
    private const string Events = $"{MartenSetup.Schema}.mt_events";

    /// <summary>
    /// 案卷: the case file a reviewer takes away and checks without a server (the contract is <see cref="CaseBundle"/>;
    /// docs/evidence.md, "The case file"), for a caller who may read the case (404 otherwise, as for the case). The
    /// pending events are chained and a head is made now (when the log contradicts a signed head, the newest signed
    /// head is used, as for the audit bundle); then the case's events in that head's tree, each with its inclusion proof,
    /// every evidence file they cite, the public key and a README in Chinese. Every file is hashed again before anything
    /// is sent: a stored file that no longer hashes to its name is an alarm (500), never a bundle.
    /// </summary>
    [WolverineGet("/api/cases/{id}/bundle")]
    [Heavy(HeavyRoutes.Exports)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType(typeof(byte[]), 200, "application/zip")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, HashChain chain, TreeHeads heads, IEvidenceStore files,
        TimeProvider clock, ILoggerFactory logs, HttpContext context, CancellationToken ct)
    {
        var (found, refusal) = await GetCase.ReadableAsync(id, null, null, session, caller, ct);
        if (found is null) return refusal!;
        var (county, database) = (session.TenantId, session.Database);

        var (made, alarm) = await chain.HeadNowAsync(database, county, ct);
        SignedHead? head;
        var events = new List<BundledEvent>();
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            head = alarm is null ? made : (await heads.KnownAsync(database.NameOf(), county, connection, null, ct)).LastOrDefault();
            if (head is null || head.LastSequence < await NewestSequenceAsync(connection, county, id, ct))
            {
                // The log has not reached the case's newest event yet (a gap in the sequence is still open, or the
                // chain is in alarm): a case file now would leave events out, so the caller is asked to come back.
                context.Response.Headers.RetryAfter = "5";
                return ProblemAnswers.Unavailable("the ledger's log has not yet reached this case's newest event; try again in a few seconds").ToResult();
            }
            var leaves = await TreeHeads.LeavesAsync(connection, county, head.TreeSize, ct);
            await using var command = new NpgsqlCommand($"""
                select c.leaf_index, e.* from {Chain} c
                join lateral (select {HashChain.EventColumns} from {Events} where seq_id = c.seq_id) e on true
                where c.tenant_id = $1 and c.leaf_index < $2
                  and c.seq_id in (select seq_id from {Events} where tenant_id = $1 and stream_id = $3)
                order by c.leaf_index
                """, connection);
            command.Parameters.AddWithValue(county);
            command.Parameters.AddWithValue(head.TreeSize);
            command.Parameters.AddWithValue(id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var leaf = reader.GetInt64(0);
                var stored = HashChain.ReadEvent(reader, 1);
                var hashed = leaf < leaves.Count ? HashChain.Hashed(stored, leaves[(int)leaf]) : HashedEvent.Of(stored);
                var path = leaf < leaves.Count ? MerkleTree.AuditPath(leaves, (int)leaf).Select(p => LedgerHashing.Hex(p)).ToList() : [];
                events.Add(new BundledEvent(leaf, hashed, path));
            }
        }

        // The files the events cite, each hashed again as it is stored.
        var cited = events.SelectMany(e => CaseBundle.Cited(e.Event.Data)).Select(f => f.Sha256).Distinct().ToList();
        foreach (var sha in cited)
        {
            var (stream, damaged) = await EvidenceAccess.OpenIntactAsync(files, logs, county, sha, ct);
            if (damaged is not null) return damaged;
            await stream!.DisposeAsync();
        }

        var manifest = new CaseBundleManifest(CaseBundle.Format, county, id, head, clock.GetUtcNow());
        var publicKey = heads.PublicKeyPem;
        return ZipDownload.Of("application/zip", $"case-{id}-{head.TreeSize}.zip", async zip =>
        {
            await ZipDownload.EntryAsync(zip, CaseBundle.ReadmeFile, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(Readme(manifest)), ct).AsTask());
            await ZipDownload.EntryAsync(zip, CaseBundle.ManifestFile, stream => JsonSerializer.SerializeAsync(stream, manifest, AuditBundle.Json, ct));
            await ZipDownload.EntryAsync(zip, CaseBundle.EventsFile, async stream =>
            {
                foreach (var e in events)
                {
                    await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(e, AuditBundle.Json), ct);
                    await stream.WriteAsync("\n"u8.ToArray(), ct);
                }
            });
            foreach (var sha in cited)
                await ZipDownload.EntryAsync(zip, CaseBundle.FileEntry(sha), async stream =>
                {
                    await using var file = await files.OpenAsync(county, sha, ct)
                        ?? throw new InvalidOperationException($"evidence file {sha} disappeared while the case file was made");
                    await file.CopyToAsync(stream, ct);
                }, CompressionLevel.Fastest);
            if (publicKey is not null)
                await ZipDownload.EntryAsync(zip, CaseBundle.PublicKeyFile, stream => stream.WriteAsync(Encoding.ASCII.GetBytes(publicKey), ct).AsTask());
        });
    }

    /// <summary>README.txt: what the case file holds and how to check it, in Chinese.</summary>
    private static string Readme(CaseBundleManifest manifest) => $"""
        案卷（{manifest.County} 县，案件 {manifest.CaseId}）
        生成时间：{manifest.MadeAt:yyyy-MM-dd HH:mm:ss} UTC；所依据的签名树头：第 {manifest.Head.TreeSize} 个叶子，根 {manifest.Head.MerkleRoot}

        本压缩包内容：
          bundle.json      清单：格式、县、案件编号、签名树头（signedText 与 signature）
          events.ndjson    本案全部事件，每行一个：叶子序号 leafIndex、事件内容 event、包含证明 auditPath
          files/<sha256>   事件所引用的每一份佐证材料，文件名即其 SHA-256
          public-key.pem   台账自称的签名公钥（核验时请用您自己事先保存的公钥，不要用这一份）

        一、用 ledger audit 核验（推荐）
          ledger audit 本文件.zip --key 您保存的公钥.pem
          输出 INTACT 即全部通过；否则逐条列出问题（哪个文件、第几行、哪个叶子、哪里不对）。

        二、手工核验
          1. 树头签名：bundle.json 中 head.signedText 按 UTF-8 编码，用您的公钥以 ECDSA P-256 / SHA-256 验证 head.signature（Base64）。
          2. 事件内容：对 events.ndjson 每一行，把 event 的各字段（format、sequence、id、streamId、version、type、tenantId、
             timestamp、userName、correlationId、causationId、archived、headers、data）按此顺序每行一个、以换行连接，
             计算 SHA-256，应等于 event.contentHash（字段的确切写法见 docs/audit.md）。
          3. 包含证明：叶子哈希 = SHA-256(0x00 ‖ contentHash 的 32 字节)；按 RFC 9162 第 2.1.3.2 节，用 leafIndex、
             树的大小 head.treeSize 和 auditPath（自下而上）逐层计算（节点哈希 = SHA-256(0x01 ‖ 左 ‖ 右)），结果应等于 head.merkleRoot。
          4. 佐证材料：事件 data 中每条 evidence 的 sha256 和 size，对应 files/ 下同名文件：计算该文件的 SHA-256
             （如 sha256sum files/*），应与文件名一致，字节数应与 size 一致；每条被引用的文件都应在包内。
          5. 本案事件的 version 应从 1 起连续，不应有缺号。

        说明：本案卷证明其中的每个事件都在该签名树头所承诺的台账中、未被改动，佐证材料与事件所记录的哈希一致。
        若要确认台账本身未被截断或改写，请用全县审计包（GET /api/ledger/bundle）对照您以前保存的树头核验。

        """;

    /// <summary>The sequence of the case's newest event (0 when it has none).</summary>
    private static async Task<long> NewestSequenceAsync(NpgsqlConnection connection, string county, Guid id, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {Events} where tenant_id = $1 and stream_id = $2", connection);
        command.Parameters.AddWithValue(county);
        command.Parameters.AddWithValue(id);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}
