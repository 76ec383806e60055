# How ThumbnailTests.HeicWithExifGps was made (run once; libheif-examples 1.15.1 on Debian 12, x265 encoder):
#   python3 make_heic_sample.py && heif-enc -q 50 -o photo.heic in.png && base64 -w0 photo.heic
# A 64x48 PNG whose eXIf chunk carries the EXIF of EvidenceFilesMaker.JpegWithExifGps; heif-enc keeps it as the HEIC's Exif item.
import struct, zlib
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
# TIFF (big-endian) as in EvidenceFilesMaker.JpegWithExifGps: 2017:07:03 10:15:30, 24°13'30" N, 114°7'12" E
t = bytearray()
U16 = lambda v: t.extend(struct.pack('>H', v)); U32 = lambda v: t.extend(struct.pack('>I', v))
def entry(tag, typ, cnt, val): U16(tag); U16(typ); U32(cnt); U32(val)
t.extend(b'MM'); U16(42); U32(8)
U16(2); entry(0x8769, 4, 1, 38); entry(0x8825, 4, 1, 76); U32(0)
U16(1); entry(0x9003, 2, 20, 56); U32(0)
t.extend(b'2017:07:03 10:15:30\0')
U16(4); entry(1, 2, 2, ord('N') << 24); entry(2, 5, 3, 130); entry(3, 2, 2, ord('E') << 24); entry(4, 5, 3, 154); U32(0)
for n, d in [(24, 1), (13, 1), (30, 1), (114, 1), (7, 1), (12, 1)]: U32(n); U32(d)
w, h = 64, 48
raw = b''.join(b'\0' + bytes([200, 120, 40]) * w for _ in range(h))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'eXIf', bytes(t)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open('in.png', 'wb').write(png)
