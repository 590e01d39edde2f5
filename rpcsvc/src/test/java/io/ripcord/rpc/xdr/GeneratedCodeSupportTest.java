package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run-time support of code xdrgen generates: strict strings and ranges, the text form, XdrType, XdrValues. */
class GeneratedCodeSupportTest {

    private static XdrDecoder decoder(String hex) {
        return new XdrDecoder(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    private static byte[] encoded(java.util.function.Consumer<XdrEncoder> write) {
        XdrEncoder e = new XdrEncoder();
        write.accept(e);
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void strictStringsAreWellFormedUtf8WithoutNul() throws XdrException {
        assertEquals("héllo", XdrStrict.readString(decoder("00000006 68c3a96c 6c6f0000"), 255));
        assertEquals("ab", XdrStrict.readString(new XdrDecoder(ByteBuffer.allocateDirect(8).putInt(2)
                .put((byte) 'a').put((byte) 'b').putShort((short) 0).flip()), 255), "from a direct buffer too");
        assertTrue(assertThrows(XdrException.class, () -> XdrStrict.readString(decoder("00000001 ff000000"), 255))
                .getMessage().contains("not well-formed UTF-8"));
        assertTrue(assertThrows(XdrException.class, () -> XdrStrict.readString(decoder("00000003 eda08000"), 255))
                .getMessage().contains("not well-formed UTF-8"), "an encoded surrogate (CESU-8)");
        assertTrue(assertThrows(XdrException.class, () -> XdrStrict.readString(decoder("00000002 61000000"), 255))
                .getMessage().contains("NUL byte at offset 1"));
        assertThrows(XdrException.class, () -> XdrStrict.readString(decoder("00000005 61626364 65000000"), 4));
    }

    @Test
    void strictWritesRefuseWhatWouldNotComeBackUnchanged() {
        assertThrows(IllegalArgumentException.class, () -> XdrStrict.writeString(new XdrEncoder(), "a\0b", 10));
        assertThrows(IllegalArgumentException.class, () -> XdrStrict.writeString(new XdrEncoder(), "\ud800x", 10));
        assertArrayEquals(HexFormat.of().parseHex("00000004f09f9880"),
                encoded(e -> XdrStrict.writeString(e, "\ud83d\ude00", 10)), "a surrogate pair is fine");
        assertThrows(IllegalArgumentException.class, () -> XdrStrict.writeFixedOpaque(new XdrEncoder(), new byte[3], 4));
        assertThrows(IllegalArgumentException.class, () -> XdrStrict.writeRange(new XdrEncoder(), 256, 0, 255, "u_char"));
        assertThrows(IllegalArgumentException.class, () -> XdrStrict.checkUnsignedInt(-1, "count"));
        assertEquals(4294967295L, XdrStrict.checkUnsignedInt(4294967295L, "count"));
    }

    @Test
    void narrowIntegersAreRangeChecked() throws XdrException {
        assertEquals(-128, XdrStrict.readRange(decoder("ffffff80"), -128, 127, "char"));
        assertEquals("char out of range -128..127: 128", assertThrows(XdrException.class,
                () -> XdrStrict.readRange(decoder("00000080"), -128, 127, "char")).getMessage());
    }

    @Test
    void theTextFormEscapesAndReadsBack() {
        StringBuilder sb = new StringBuilder();
        XdrText.appendString(sb, "a\"b\\c\nd\u0001");
        sb.append(' ');
        XdrText.appendHex(sb, new byte[] {0x0a, (byte) 0xff});
        sb.append(' ');
        XdrText.appendUnsignedHyper(sb, -1L);
        sb.append(' ');
        XdrText.appendList(sb, List.of(true, false), (s, v) -> XdrText.appendBool(s, v));
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\" 0x0aff 18446744073709551615 [TRUE, FALSE]", sb.toString());
        XdrTextReader r = new XdrTextReader(sb);
        assertEquals("a\"b\\c\nd\u0001", r.readString());
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, r.readHex());
        assertEquals(-1L, r.readUnsignedHyper());
        assertEquals(List.of(true, false), r.readList(XdrTextReader::readBool));
        r.end();
    }

    @Test
    void theTextReaderSaysWhereAndWhat() {
        XdrTextReader fields = new XdrTextReader("{a: 1}");
        fields.expect('{');
        assertEquals("text form, offset 1: expected field 'b', found 'a: 1}'",
                assertThrows(IllegalArgumentException.class, () -> fields.name("b")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new XdrTextReader("4294967296").readUnsignedInt());
        assertThrows(IllegalArgumentException.class, () -> new XdrTextReader("-1").readUnsignedHyper());
        assertThrows(IllegalArgumentException.class, () -> new XdrTextReader("0x123").readHex());
        assertEquals(Float.NaN, new XdrTextReader("NaN").readFloat());
        assertNull(new XdrTextReader(" null ").readOptional(r -> r.readInt()));
        assertEquals(Integer.valueOf(7), new XdrTextReader("7").readOptional(r -> r.readInt()));
        assertThrows(IllegalArgumentException.class, () -> new XdrTextReader("7").readInt(-5, 5));
    }

    @Test
    void anXdrTypeDecodesExactlyOneValueAndRoundTrips() throws XdrException {
        XdrType<Integer> t = XdrType.of("small", d -> XdrStrict.readRange(d, 0, 9, "small"),
                (e, v) -> XdrStrict.writeRange(e, v, 0, 9, "small"), (sb, v) -> sb.append(v), r -> r.readInt(0, 9));
        assertEquals(7, t.decodeExactly(ByteBuffer.wrap(HexFormat.of().parseHex("00000007"))));
        assertEquals("4 bytes left after the small", assertThrows(XdrException.class,
                () -> t.decodeExactly(ByteBuffer.wrap(new byte[8]))).getMessage());
        assertEquals("7", t.decodeToText(ByteBuffer.wrap(HexFormat.of().parseHex("00000007"))));
        assertArrayEquals(HexFormat.of().parseHex("00000003"), t.encodeText(" 3 "));
        assertThrows(IllegalArgumentException.class, () -> t.parse("3 4"));
        assertEquals("small", t.name());
    }

    @Test
    void deepEqualityComparesBytesInsideLists() {
        assertTrue(XdrValues.deepEquals(List.of(new byte[] {1}, new byte[] {2}), List.of(new byte[] {1}, new byte[] {2})));
        assertFalse(XdrValues.deepEquals(List.of(new byte[] {1}), List.of(new byte[] {2})));
        assertEquals(XdrValues.deepHashCode(List.of(new byte[] {1})), XdrValues.deepHashCode(List.of(new byte[] {1})));
        assertTrue(XdrValues.deepEquals(null, null));
        assertFalse(XdrValues.deepEquals(List.of(1), List.of(1, 2)));
    }
}
