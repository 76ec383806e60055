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
