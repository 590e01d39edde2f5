package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class XdrEncoderTest {

    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7};
    private static final XdrWriter<String> NAME = (e, s) -> e.writeString(s, 64);

    private static byte[] drain(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void bufferDoublesUpToTheMaximumThenRefuses() {
        XdrEncoder e = new XdrEncoder(8, 32, false);
        e.writeHyper(1);
        assertEquals(8, e.capacity());
        e.writeInt(2);
        assertEquals(16, e.capacity());
        e.writeHyper(3);
        e.writeInt(4);
        assertEquals(32, e.capacity());
        e.writeHyper(5);
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.writeInt(6));
        assertTrue(x.getMessage().contains("maximum of 32"), x.getMessage());
        assertEquals(32, e.size(), "a refused write leaves what was written");
    }

    @Test
    void oneLargeWriteDoublesUntilItFits() {
        XdrEncoder e = new XdrEncoder(8, 1 << 20, true);
        e.writeOpaque(new byte[1000], 1000);
        assertEquals(1024, e.capacity());
        assertTrue(e.toBuffer().isDirect());
    }

    @Test
    void reuseAfterResetWritesZeroPaddingOverOldBytes() {
        XdrEncoder e = new XdrEncoder(16, 64, false);
        e.writeFixedOpaque(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1});
        e.reset();
        e.writeOpaque(new byte[] {7}, 4);
        assertArrayEquals(new byte[] {0, 0, 0, 1, 7, 0, 0, 0}, drain(e.toBuffer()));
    }

    @Test
    void reserveAndPatchFillALengthInLater() {
        XdrEncoder e = new XdrEncoder();
        int mark = e.reserve(4);
        e.writeInt(0x11223344);
        e.patchInt(mark, e.size() - 4);
        assertArrayEquals(new byte[] {0, 0, 0, 4, 0x11, 0x22, 0x33, 0x44}, drain(e.toBuffer()));
        assertThrows(IndexOutOfBoundsException.class, () -> e.patchInt(6, 0));
        assertThrows(IllegalArgumentException.class, () -> e.reserve(3));
    }

    @Test
    void writesAfterToBufferContinueTheEncoding() {
        XdrEncoder e = new XdrEncoder(8, 64, false);
        e.writeInt(1);
        assertEquals(4, e.toBuffer().remaining());
        e.writeInt(2);
        e.writeInt(3);
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3}, drain(e.toBuffer()));
    }

    @Test
    void steadyStateEncodingAllocatesNothing() {
        Allocations.assumeMeasurable();
        XdrEncoder e = new XdrEncoder(64, 1 << 16, false);
        ByteBuffer source = ByteBuffer.wrap(PAYLOAD);
        List<String> names = List.of("alpha", "beta");
        for (int i = 0; i < 20_000; i++) {
            encodeMessage(e, source, names);
        }
        long before = Allocations.allocatedBytes();
        int total = 0;
        for (int i = 0; i < 10_000; i++) {
            total += encodeMessage(e, source, names).remaining();
        }
        long allocated = Allocations.allocatedBytes() - before;
        assertTrue(total > 0);
        // Even 8 bytes per message would be 80 000; the slack covers the counter's own noise.
        assertTrue(allocated < 4096, "steady-state encoding allocated " + allocated + " bytes");
    }

    private static ByteBuffer encodeMessage(XdrEncoder e, ByteBuffer source, List<String> names) {
        e.reset();
        int mark = e.reserve(4);
        e.writeInt(42);
        e.writeHyper(-7L);
        e.writeBoolean(true);
        e.writeString("glusterd: volume status éé", 255);
        e.writeOpaque(PAYLOAD, 16);
        e.writeOpaque(source, 16);
        e.writeArray(names, 4, NAME);
        e.writeDouble(0.5);
        e.patchInt(mark, e.size() - 4);
        return e.toBuffer();
    }

    @Test
    void resetReleasesABufferThatGrewPastTheRetentionLimit() {
        XdrEncoder e = new XdrEncoder(64, 8 << 20, false);
        e.writeOpaque(new byte[1 << 10], 1 << 10);
        e.reset();
        ByteBuffer kept = e.toBuffer();
        assertEquals(2048, e.capacity(), "a modest buffer is kept");
        e.writeOpaque(new byte[XdrEncoder.RETAIN_CAPACITY + 1], Integer.MAX_VALUE);
        assertNotSame(kept, e.toBuffer());
        e.reset();
        assertEquals(64, e.capacity(), "a huge buffer is dropped back to the initial capacity");
        e.writeInt(1);
        assertSame(e.toBuffer(), e.toBuffer());
    }

    @Test
    void valuesBreakingTheirDeclarationAreRejectedBeforeWriting() {
        XdrEncoder e = new XdrEncoder();
        assertThrows(IllegalArgumentException.class, () -> e.writeUnsignedInt(-1));
        assertThrows(IllegalArgumentException.class, () -> e.writeUnsignedInt(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> e.writeString("abcde", 4));
        assertThrows(IllegalArgumentException.class, () -> e.writeString("éé", 3), "max counts bytes");
        assertThrows(IllegalArgumentException.class, () -> e.writeOpaque(new byte[5], 4));
        assertThrows(IllegalArgumentException.class, () -> e.writeIntArray(new int[3], 2));
        assertThrows(IllegalArgumentException.class, () -> e.writeArray(List.of(1, 2), 1, XdrEncoder::writeInt));
        assertThrows(IllegalArgumentException.class,
                () -> e.writeFixedArray(List.of(1, 2), 3, XdrEncoder::writeInt));
        assertEquals(0, e.size());
    }

    @Test
    void byteBufferSourcesKeepTheirPosition() {
        XdrEncoder e = new XdrEncoder();
        ByteBuffer src = ByteBuffer.wrap(PAYLOAD, 2, 3);
        e.writeOpaque(src, 8);
        e.writeFixedOpaque(src);
        assertEquals(2, src.position());
        assertArrayEquals(new byte[] {0, 0, 0, 3, 3, 4, 5, 0, 3, 4, 5, 0}, drain(e.toBuffer()));
    }

    @Test
    void constructorRejectsImpossibleCapacities() {
        assertThrows(IllegalArgumentException.class, () -> new XdrEncoder(2, 8, false));
        assertThrows(IllegalArgumentException.class, () -> new XdrEncoder(16, 8, false));
        assertThrows(IllegalArgumentException.class, () -> new XdrEncoder(16, Integer.MAX_VALUE, false));
        assertFalse(new XdrEncoder().toBuffer().hasRemaining());
    }

    @Test
    void headroomLiesBeforeTheMessageAndTruncateRewindsIt() {
        XdrEncoder e = new XdrEncoder(8, 1024, false);
        e.reset(12);
        assertEquals(0, e.size());
        e.writeInt(1);
        int mark = e.size();
        e.writeInt(2);
        e.writeInt(3);
        e.truncate(mark);
        e.writeInt(4);
        int at = e.reserve(4);
        e.patchInt(at, 5);
        java.nio.ByteBuffer m = e.toBuffer();
        assertEquals(12, m.position());
        assertEquals(12, m.remaining());
        assertEquals(1, m.getInt(12));
        assertEquals(4, m.getInt(16));
        assertEquals(5, m.getInt(20));
        assertThrows(IndexOutOfBoundsException.class, () -> e.truncate(13));
        assertThrows(IllegalArgumentException.class, () -> e.reset(65));
        assertEquals(0, e.reset().toBuffer().position(), "a plain reset leaves no headroom");
    }
}
