using System.Text;

namespace Ledger.Api.EvidenceFiles;

/// <summary>
/// The real type of an evidence file, sniffed from its first bytes (never from its name or the
/// declared content type). Accepted: JPEG, PNG, HEIC/HEIF photos; PDF; Office/WPS documents (OOXML
/// zip containers and legacy OLE); plain UTF-8 text; MP3, M4A, WAV, AMR audio; MP4 and 3GP video.
/// Anything else — an executable (MZ, ELF) under any name included — is null (415).
/// </summary>
public static class FileTypes
{
    /// <summary>How many leading bytes the sniffing looks at.</summary>
    public const int SniffBytes = 4096;

    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length == 0) return null;
        if (StartsWith(head, [0x4D, 0x5A]) || StartsWith(head, [0x7F, 0x45, 0x4C, 0x46])) return null;   // MZ, ELF: never
        if (StartsWith(head, [0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (StartsWith(head, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (StartsWith(head, "%PDF-"u8)) return "application/pdf";
        if (StartsWith(head, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return "application/x-ole-storage";   // .doc .xls .ppt .wps .et
        if (StartsWith(head, [0x50, 0x4B, 0x03, 0x04])) return OfficeZip(head);
        if (StartsWith(head, "#!AMR"u8)) return "audio/amr";
        if (StartsWith(head, "ID3"u8) || (head.Length > 1 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0)) return "audio/mpeg";
        if (head.Length >= 12 && StartsWith(head, "RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8)) return "audio/wav";
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return IsoMedia(head[8..12]);
        return IsText(head) ? "text/plain; charset=utf-8" : null;
    }

    private static bool StartsWith(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic) => head.Length >= magic.Length && head[..magic.Length].SequenceEqual(magic);

    /// <summary>ISO base media by its major brand: HEIC/HEIF photos, M4A audio, MP4/3GP video.</summary>
    private static string? IsoMedia(ReadOnlySpan<byte> brand) => Encoding.ASCII.GetString(brand) switch
    {
        "heic" or "heix" or "heim" or "heis" => "image/heic",
        "mif1" or "msf1" => "image/heif",
        "M4A " => "audio/mp4",
        "isom" or "iso2" or "mp41" or "mp42" or "avc1" or "M4V " => "video/mp4",
        var b when b.StartsWith("3gp") || b.StartsWith("3g2") => "video/3gpp",
        _ => null,
    };

    /// <summary>
    /// A zip is accepted only as an Office/WPS document: its first entry (the local header at the
    /// start) is <c>[Content_Types].xml</c> or lies under the parts of a docx/xlsx/pptx.
    /// </summary>
    private static string? OfficeZip(ReadOnlySpan<byte> head)
    {
        if (head.Length < 30) return null;
        var nameLength = head[26] | head[27] << 8;
        if (head.Length < 30 + nameLength) return null;
        var name = Encoding.UTF8.GetString(head.Slice(30, nameLength));
        if (name == "[Content_Types].xml" || name.StartsWith("_rels/") || name.StartsWith("docProps/"))
        {
            var text = Encoding.UTF8.GetString(head);
            return text.Contains("word/") ? Ooxml("wordprocessingml.document")
                : text.Contains("xl/") ? Ooxml("spreadsheetml.sheet")
                : text.Contains("ppt/") ? Ooxml("presentationml.presentation")
                : "application/vnd.openxmlformats-officedocument";
        }
        return name.StartsWith("word/") ? Ooxml("wordprocessingml.document")
            : name.StartsWith("xl/") ? Ooxml("spreadsheetml.sheet")
            : name.StartsWith("ppt/") ? Ooxml("presentationml.presentation")
            : null;
    }

    private static string Ooxml(string part) => $"application/vnd.openxmlformats-officedocument.{part}";

    /// <summary>Plain text: valid UTF-8 (a character cut at the end of the sample allowed), no NUL or other control bytes but tab and line ends.</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D) || b == 0x7F) return false;
        for (var cut = 0; cut < 4 && cut < head.Length; cut++)
        {
            try
            {
                new UTF8Encoding(false, true).GetCharCount(head[..(head.Length - cut)]);
                return true;
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return false;
    }
}
