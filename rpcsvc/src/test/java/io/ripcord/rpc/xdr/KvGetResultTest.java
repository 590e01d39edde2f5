package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * A discriminated union (RFC 4506 section 4.15) written by hand with {@link XdrReader}/{@link XdrWriter}:
 * <pre>
 * union kv_get_result switch (bool found) {
 *   case TRUE:  opaque value&lt;1048576&gt;;
 *   case FALSE: void;
 * };
 * </pre>
 */
class KvGetResultTest {

    /** The union as an immutable Java type; {@code value == null} is the FALSE arm. */
    record KvGetResult(ByteBuffer value) {
        static final int MAX_VALUE = 1_048_576;
        static final XdrWriter<KvGetResult> WRITER = (e, r) -> {
            e.writeBoolean(r.value != null);
            if (r.value != null) {
                e.writeOpaque(r.value, MAX_VALUE);
            }
        };
        static final XdrReader<KvGetResult> READER = d -> d.readBoolean()
                ? new KvGetResult(d.readOpaqueAsBuffer(MAX_VALUE))
                : new KvGetResult(null);
    }

    private static byte[] encode(KvGetResult r) {
        XdrEncoder e = new XdrEncoder();
        e.write(r, KvGetResult.WRITER);
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void foundArmCarriesTheValue() throws XdrException {
        byte[] wire = encode(new KvGetResult(ByteBuffer.wrap(new byte[] {'h', 'i', '!'})));
        assertArrayEquals(HexFormat.of().parseHex("00000001" + "00000003" + "68692100"), wire);

        XdrDecoder d = new XdrDecoder(ByteBuffer.wrap(wire));
        KvGetResult r = d.read(KvGetResult.READER);
        assertEquals(ByteBuffer.wrap(new byte[] {'h', 'i', '!'}), r.value());
        assertFalse(d.hasRemaining());
    }

    @Test
    void notFoundArmIsVoid() throws XdrException {
        byte[] wire = encode(new KvGetResult(null));
        assertArrayEquals(new byte[4], wire);
        assertNull(new XdrDecoder(ByteBuffer.wrap(wire)).read(KvGetResult.READER).value());
    }

    @Test
    void discriminantOtherThanBoolIsRejected() {
        byte[] wire = HexFormat.of().parseHex("00000002" + "00000000");
        XdrException e = assertThrows(XdrException.class,
                () -> new XdrDecoder(ByteBuffer.wrap(wire)).read(KvGetResult.READER));
        assertTrue(e.getMessage().contains("bool"), e.getMessage());
    }

    @Test
    void valueOverItsDeclaredMaximumIsRejectedBothWays() {
        ByteBuffer big = ByteBuffer.allocate(KvGetResult.MAX_VALUE + 1);
        assertThrows(IllegalArgumentException.class, () -> encode(new KvGetResult(big)));

        ByteBuffer wire = ByteBuffer.allocate(8 + KvGetResult.MAX_VALUE + 4);
        wire.putInt(0, 1).putInt(4, KvGetResult.MAX_VALUE + 1);
        assertThrows(XdrException.class, () -> new XdrDecoder(wire).read(KvGetResult.READER));
    }
}
