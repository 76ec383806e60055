using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Tests.EvidenceFiles;

/// <summary>Real files made in the test, and a generated stream of any length that is never held in memory.</summary>
public static class EvidenceFilesMaker
{
    /// <summary>A small JPEG (SOI, JFIF APP0, a comment, EOI): enough for the type to be read from its bytes.</summary>
    public static byte[] Jpeg(string comment = "照片") =>
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        .. Comment(comment), 0xFF, 0xD9,
    ];

    /// <summary>
    /// A JPEG whose EXIF (APP1, big-endian TIFF) says it was taken at 2017-07-03 10:15:30 at
    /// 24°13′30″ N, 114°7′12″ E (24.225, 114.12), built byte by byte: IFD0 → Exif IFD (DateTimeOriginal) and GPS IFD.
    /// </summary>
    public static byte[] JpegWithExifGps()
    {
        var t = new List<byte>();
        void U16(int v) => t.AddRange([(byte)(v >> 8), (byte)v]);
        void U32(long v) => t.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        void Entry(int tag, int type, int count, long value) { U16(tag); U16(type); U32(count); U32(value); }
        t.AddRange("MM"u8.ToArray()); U16(42); U32(8);
        U16(2); Entry(0x8769, 4, 1, 38); Entry(0x8825, 4, 1, 76); U32(0);          // IFD0 at 8, ends at 38
        U16(1); Entry(0x9003, 2, 20, 56); U32(0);                                    // Exif IFD at 38, ends at 56
        t.AddRange(Encoding.ASCII.GetBytes("2017:07:03 10:15:30\0"));              // at 56, ends at 76
        U16(4);                                                                      // GPS IFD at 76, ends at 130
        Entry(1, 2, 2, 'N' << 24); Entry(2, 5, 3, 130); Entry(3, 2, 2, 'E' << 24); Entry(4, 5, 3, 154); U32(0);
        foreach (var (n, d) in new[] { (24, 1), (13, 1), (30, 1), (114, 1), (7, 1), (12, 1) }) { U32(n); U32(d); }
        byte[] app1 = [.. "Exif\0\0"u8.ToArray(), .. t];
        return [0xFF, 0xD8, 0xFF, 0xE1, (byte)((app1.Length + 2) >> 8), (byte)(app1.Length + 2), .. app1, .. Comment("现场"), 0xFF, 0xD9];
    }

    private static byte[] Comment(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [0xFF, 0xFE, (byte)((bytes.Length + 2) >> 8), (byte)(bytes.Length + 2), .. bytes];
    }

    public static byte[] Pdf() => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
        "trailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>The start of a Windows executable (MZ header, PE offset).</summary>
    public static byte[] Executable() => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, .. new byte[50]];

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static MultipartFormDataContent Multipart(HttpContent file, string name)
    {
        var content = new MultipartFormDataContent();
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "file", name);
        return content;
    }

    public static MultipartFormDataContent Multipart(byte[] bytes, string name) => Multipart(new ByteArrayContent(bytes), name);
}

/// <summary>
/// <paramref name="length"/> pseudo-random bytes made as they are read (a PDF header first, so the
/// type is accepted), never held whole; counts how many were taken.
/// </summary>
public sealed class GeneratedStream(long length, int seed = 7) : Stream
{
    private static readonly byte[] Header = Encoding.ASCII.GetBytes("%PDF-1.4\n");
    private long _position;
    private uint _state = (uint)seed;

    public long Taken => _position;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        for (var i = 0; i < n; i++)
        {
            var at = _position + i;
            if (at < Header.Length) buffer[offset + i] = Header[at];
            else
            {
                _state = _state * 1664525 + 1013904223;
                buffer[offset + i] = (byte)(_state >> 24);
            }
        }
        _position += n;
        return n;
    }

    /// <summary>The SHA-256 of the same bytes, computed here by a second generator, independently of the server.</summary>
    public static string HashOf(long length, int seed = 7)
    {
        using var stream = new GeneratedStream(length, seed);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
