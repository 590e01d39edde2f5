package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Exact bytes on the wire for known values (RFC 4506). */
class XdrWireFormatTest {

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static byte[] encoded(XdrEncoder e) {
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** RFC 4506 section 7: the "sillyprog" file, 48 bytes. */
    @Test
    void rfc4506FileExampleEncodesToItsPublishedBytes() throws XdrException {
        byte[] expected = bytes("00000009 73696c6c 7970726f 67000000"
                + " 00000002 00000004 6c697370"
                + " 00000004 6a6f686e"
                + " 00000006 28717569 74290000");
        RfcFile file = new RfcFile("sillyprog", RfcFile.EXEC, "lisp", "john", "(quit)".getBytes());

        XdrEncoder e = new XdrEncoder();
        e.writeXdrAble(file);
        assertArrayEquals(expected, encoded(e));

        XdrDecoder d = new XdrDecoder(ByteBuffer.wrap(expected), true);
        RfcFile decoded = d.readXdrAble(new RfcFile());
        assertEquals(file, decoded);
        assertFalse(d.hasRemaining());
    }

    @Test
    void integersAreBigEndianTwosComplement() {
        XdrEncoder e = new XdrEncoder();
        e.writeInt(-2);
        e.writeUnsignedInt(0xFFFF_FFFEL);
        e.writeInt(0x01020304);
        e.writeHyper(-2L);
        e.writeUnsignedHyper(0x8000_0000_0000_0001L);
        e.writeEnum(7);
        e.writeBoolean(true);
        e.writeBoolean(false);
        assertArrayEquals(bytes("fffffffe fffffffe 01020304 ffffffff fffffffe 80000000 00000001"
                + " 00000007 00000001 00000000"), encoded(e));
    }

    @Test
    void floatsAreIeee754BigEndian() {
        XdrEncoder e = new XdrEncoder();
        e.writeFloat(1.0f);
        e.writeFloat(-2.5f);
        e.writeDouble(1.0);
        e.writeDouble(Double.NaN);
        assertArrayEquals(bytes("3f800000 c0200000 3ff00000 00000000 7ff80000 00000000"), encoded(e));
    }

    @Test
    void opaqueAndStringArePaddedWithZerosToFourBytes() {
        XdrEncoder e = new XdrEncoder();
        e.writeOpaque(new byte[0], 10);
        e.writeOpaque(new byte[] {1}, 10);
        e.writeOpaque(new byte[] {1, 2, 3, 4}, 10);
        e.writeFixedOpaque(new byte[] {9, 9, 9, 9, 9});
        e.writeString("ab", 10);
        assertArrayEquals(bytes("00000000 00000001 01000000 00000004 01020304 09090909 09000000"
                + " 00000002 61620000"), encoded(e));
    }

    @Test
    void arraysOptionalsAndNonAsciiStrings() {
        XdrEncoder e = new XdrEncoder();
        e.writeIntArray(new int[] {5, -1}, 4);
        e.writeArray(java.util.List.of("x", "yz"), 3, (enc, s) -> enc.writeString(s, 8));
        e.writeFixedArray(java.util.List.of(1, 2), 2, XdrEncoder::writeInt);
        e.writeOptional(null, XdrEncoder::writeInt);
        e.writeOptional(3, XdrEncoder::writeInt);
        e.writeString("é", 8); // two UTF-8 bytes
        assertArrayEquals(bytes("00000002 00000005 ffffffff"
                + " 00000002 00000001 78000000 00000002 797a0000"
                + " 00000001 00000002"
                + " 00000000 00000001 00000003"
                + " 00000002 c3a90000"), encoded(e));
    }

    /**
     * The RFC 4506 section 7 example: a struct with a discriminated union inside.
     * <pre>
     * enum filekind { TEXT = 0, DATA = 1, EXEC = 2 };
     * union filetype switch (filekind kind) {
     *   case TEXT: void;
     *   case DATA: string creator&lt;MAXNAMELEN&gt;;
     *   case EXEC: string interpretor&lt;MAXNAMELEN&gt;;
     * };
     * struct file { string filename&lt;MAXNAMELEN&gt;; filetype type; string owner&lt;MAXUSERNAME&gt;;
     *               opaque data&lt;MAXFILELEN&gt;; };
     * </pre>
     */
    static final class RfcFile implements XdrAble {
        static final int TEXT = 0;
        static final int DATA = 1;
        static final int EXEC = 2;
        static final int MAXUSERNAME = 32;
        static final int MAXFILELEN = 65535;
        static final int MAXNAMELEN = 255;

        String filename;
        int kind;
        String creatorOrInterpretor;
        String owner;
        byte[] data;

        RfcFile() {
        }

        RfcFile(String filename, int kind, String creatorOrInterpretor, String owner, byte[] data) {
            this.filename = filename;
            this.kind = kind;
            this.creatorOrInterpretor = creatorOrInterpretor;
            this.owner = owner;
            this.data = data;
        }

        @Override
        public void xdrEncode(XdrEncoder e) {
            e.writeString(filename, MAXNAMELEN);
            e.writeEnum(kind);
            if (kind != TEXT) {
                e.writeString(creatorOrInterpretor, MAXNAMELEN);
            }
            e.writeString(owner, MAXUSERNAME);
            e.writeOpaque(data, MAXFILELEN);
        }

        @Override
        public void xdrDecode(XdrDecoder d) throws XdrException {
            filename = d.readString(MAXNAMELEN);
            kind = d.readEnum();
            switch (kind) {
                case TEXT -> creatorOrInterpretor = null;
                case DATA, EXEC -> creatorOrInterpretor = d.readString(MAXNAMELEN);
                default -> throw new XdrException("unknown filekind " + kind);
            }
            owner = d.readString(MAXUSERNAME);
            data = d.readOpaque(MAXFILELEN);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RfcFile f && filename.equals(f.filename) && kind == f.kind
                    && java.util.Objects.equals(creatorOrInterpretor, f.creatorOrInterpretor)
                    && owner.equals(f.owner) && java.util.Arrays.equals(data, f.data);
        }

        @Override
        public int hashCode() {
            return filename.hashCode();
        }

        @Override
        public String toString() {
            return filename + "/" + kind + "/" + creatorOrInterpretor + "/" + owner;
        }
    }
}
