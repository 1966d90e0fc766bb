import { describe, expect, it } from 'vitest';
import { sniffMediaType } from './sniff.ts';

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('sniffMediaType', () => {
  it('reads images and PDFs from their signatures, whatever they are called', () => {
    expect(sniffMediaType(bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13]))).toBe('image/png');
    expect(sniffMediaType(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(sniffMediaType(bytes('GIF89a', [1, 0, 1, 0]))).toBe('image/gif');
    expect(sniffMediaType(bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '))).toBe('image/webp');
    expect(sniffMediaType(bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'))).toBe('application/pdf');
  });

  it('reads HTML snapshots by the standard\'s patterns, in any charset, after whitespace or a byte-order mark', () => {
    expect(sniffMediaType(bytes('  \n<!DOCTYPE html><html><body>x</body></html>'))).toBe('text/html');
    expect(sniffMediaType(bytes([0xef, 0xbb, 0xbf], '<html lang="kk">'))).toBe('text/html');
    expect(sniffMediaType(bytes('<!-- saved from url=(0040)https://example.org -->'))).toBe('text/html');
    // windows-1251 Cyrillic is not UTF-8, yet still an HTML page.
    expect(sniffMediaType(bytes('<html><head><title>', [0xcd, 0xee, 0xe2, 0xee, 0xf1, 0xf2, 0xe8], '</title>'))).toBe('text/html');
    expect(sniffMediaType(bytes('<body>'))).toBe('text/html');
    // `<bdi` is not `<b` followed by a space or `>`: plain text.
    expect(sniffMediaType(bytes('<bdi>x</bdi>'))).toBe('text/plain');
  });

  it('reads an MHTML web archive by its MIME headers', () => {
    const mhtml = 'From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.org/\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="----MultipartBoundary"\r\n\r\n------MultipartBoundary\r\n';
    expect(sniffMediaType(bytes(mhtml))).toBe('multipart/related');
  });

  it('takes UTF-8 text and refuses binary, empty and other files (an executable called shot.png stays refused)', () => {
    expect(sniffMediaType(new TextEncoder().encode('Казахстан: a transcript\r\n\tline two\n'))).toBe('text/plain');
    expect(sniffMediaType(bytes('MZ', [0x90, 0, 3, 0, 0, 0]))).toBeNull();
    expect(sniffMediaType(bytes('PK', [3, 4, 20, 0]))).toBeNull();
    expect(sniffMediaType(bytes([0xc3, 0x28]))).toBeNull(); // invalid UTF-8
    expect(sniffMediaType(bytes('text with a \u0001 control'))).toBeNull();
    expect(sniffMediaType(new Uint8Array())).toBeNull();
  });
});
