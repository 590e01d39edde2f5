package io.ripcord.rpc.xdr;

import java.nio.ByteBuffer;

/** Allocation-free UTF-8 encoding for {@link XdrEncoder#writeString}, matching {@code String.getBytes(UTF_8)}. */
final class Utf8 {

    private Utf8() {
    }

    /** The UTF-8 length of {@code s}, with each unpaired surrogate counted as the one byte {@code '?'}. */
    static int encodedLength(String s) {
        long length = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1;
            } else {
                length += 3;
            }
        }
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("string encodes to " + length + " bytes, more than an XDR length");
        }
        return (int) length;
    }

    /** Writes {@code s} as UTF-8 at {@code index} of {@code dst} (absolute puts); returns the index after it. */
    static int encode(String s, ByteBuffer dst, int index) {
        int p = index;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst.put(p++, (byte) c);
            } else if (c < 0x800) {
                dst.put(p++, (byte) (0xC0 | (c >> 6)));
                dst.put(p++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst.put(p++, (byte) (0xF0 | (cp >> 18)));
                dst.put(p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                dst.put(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                dst.put(p++, (byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                dst.put(p++, (byte) '?');
            } else {
                dst.put(p++, (byte) (0xE0 | (c >> 12)));
                dst.put(p++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                dst.put(p++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return p;
    }
}
