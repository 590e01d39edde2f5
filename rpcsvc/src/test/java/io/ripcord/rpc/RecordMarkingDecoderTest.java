package io.ripcord.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.Allocations;
import io.ripcord.transport.FrameException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordMarkingDecoderTest {

    private static ByteBuffer hex(String s) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(s.replace(" ", "")));
    }

    private static byte[] drain(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** {@code n} bytes 0, 1, 2, ... (mod 251) so misplaced bytes show. */
    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    /** One record of {@code payload} in fragments of at most {@code fragment} bytes. */
    static byte[] record(byte[] payload, int fragment) {
        return drain(RecordMarking.toRecord(ByteBuffer.wrap(payload), fragment));
    }

    /** {@code count} zero-length non-last fragment headers. */
    private static byte[] emptyFragments(int count) {
        return new byte[4 * count];
    }

    @Test
    void wholeSingleFragmentRecordIsAViewOfTheInput() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(100);
        ByteBuffer in = hex("80000003 616263 80000001 64");
        ByteBuffer frame = d.decode(in);
        assertSame(in.array(), frame.array(), "no copy: the frame shares the input's array");
        assertEquals(4, frame.arrayOffset() + frame.position(), "the frame starts after the record mark");
        assertArrayEquals("abc".getBytes(), drain(frame));
        assertEquals(7, in.position());
        assertArrayEquals("d".getBytes(), drain(d.decode(in)));
        assertNull(d.decode(in));
    }

    @Test
    void recordsFromOneBufferAreOneViewMovedFromRecordToRecord() throws FrameException {
        RecordMarkingDecoder a = new RecordMarkingDecoder(100);
        RecordMarkingDecoder b = new RecordMarkingDecoder(100);
        ByteBuffer in = hex("80000003 616263 80000001 64");
        ByteBuffer first = a.decode(in);
        assertArrayEquals("abc".getBytes(), drain(first));
        ByteBuffer second = b.decode(in);
        assertSame(first, second, "a record costs no object: the thread's view of the buffer moves on");
        assertArrayEquals("d".getBytes(), drain(second));
        ByteBuffer other = hex("80000002 6566");
        ByteBuffer third = a.decode(other);
        assertNotSame(first, third, "another buffer gets a view of its own");
        assertArrayEquals("ef".getBytes(), drain(third));
    }

    @Test
    void partialSingleFragmentRecordIsLeftUnconsumedUntilWhole() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(100);
        ByteBuffer in = ByteBuffer.allocate(16);
        in.put(hex("80000005 0102")).flip();
        assertNull(d.decode(in));
        assertEquals(0, in.position(), "the transport keeps the bytes so the record can be sliced");
        in.compact().put(hex("030405")).flip();
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, drain(d.decode(in)));
    }

    @Test
    void multiFragmentRecordIsReassembledAndItsBufferReused() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(100);
        ByteBuffer in = ByteBuffer.wrap(concat(record("hello world".getBytes(), 3), record("again!".getBytes(), 2)));
        ByteBuffer first = d.decode(in);
        assertArrayEquals("hello world".getBytes(), drain(first));
        ByteBuffer second = d.decode(in);
        assertSame(first, second, "the reassembly buffer is reused between records");
        assertArrayEquals("again!".getBytes(), drain(second));
        assertNull(d.decode(in));
    }

    @Test
    void emptyRecordsDecodeToEmptyFrames() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(0);
        ByteBuffer in = hex("80000000 00000000 00000000 80000000");
        assertEquals(0, d.decode(in).remaining());
        assertEquals(0, d.decode(in).remaining());
        assertNull(d.decode(in));
    }

    @Test
    void aBannerWhereARecordMarkBelongsIsCalledNotOncRpc() {
        FrameException e = assertThrows(FrameException.class,
                () -> new RecordMarkingDecoder(1 << 20).decode(ByteBuffer.wrap("SSH-2.0-OpenSSH_9.2\r\n".getBytes())));
        assertTrue(e.getMessage().contains("1397966893 bytes")
                && e.getMessage().endsWith("its bytes are the text \"SSH-\": the peer does not speak ONC RPC"),
                e.getMessage());
        FrameException binary = assertThrows(FrameException.class,
                () -> new RecordMarkingDecoder(100).decode(hex("00000fff")));
        assertFalse(binary.getMessage().contains("ONC RPC"), binary.getMessage());
    }

    @Test
    void headerPromisingTwoGigabytesIsRejectedAtOnce() {
        Allocations.assumeMeasurable();
        for (String header : new String[] {"ffffffff", "7fffffff"}) {
            RecordMarkingDecoder d = new RecordMarkingDecoder(1 << 20);
            long before = Allocations.allocatedBytes();
            FrameException e = assertThrows(FrameException.class, () -> d.decode(hex(header)));
            long allocated = Allocations.allocatedBytes() - before;
            assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
            assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes before rejecting");
        }
    }

    @Test
    void recordOneByteOverTheLimitIsRejectedWhenItsHeaderArrives() {
        byte[] payload = pattern(101);
        for (int fragment : new int[] {101, 50, 1}) {
            RecordMarkingDecoder d = new RecordMarkingDecoder(100);
            byte[] wire = record(payload, fragment);
            // Everything but the last fragment's data: the limit must trip on the header alone.
            int lastHeader = wire.length - (101 % fragment == 0 ? fragment : 101 % fragment) - 4;
            ByteBuffer in = ByteBuffer.wrap(wire, 0, lastHeader + 4);
            FrameException e = assertThrows(FrameException.class, () -> {
                while (d.decode(in) != null) {
                    // no complete record may come out
                }
            }, "fragment size " + fragment);
            assertTrue(e.getMessage().contains("101"), e.getMessage());
        }
    }

    @Test
    void recordOfExactlyTheMaximumIsAccepted() throws FrameException {
        byte[] payload = pattern(100);
        for (int fragment : new int[] {100, 33, 1}) {
            RecordMarkingDecoder d = new RecordMarkingDecoder(100);
            ByteBuffer frame = d.decode(ByteBuffer.wrap(record(payload, fragment)));
            assertNotNull(frame, "fragment size " + fragment);
            assertArrayEquals(payload, drain(frame));
        }
    }

    @Test
    void endlessEmptyFragmentsHitTheFragmentCap() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(1 << 20, 16);
        assertNull(d.decode(ByteBuffer.wrap(emptyFragments(16))), "16 fragments are allowed");
        FrameException e = assertThrows(FrameException.class, () -> d.decode(ByteBuffer.wrap(emptyFragments(1))));
        assertTrue(e.getMessage().contains("16 fragments"), e.getMessage());

        RecordMarkingDecoder ok = new RecordMarkingDecoder(1 << 20, 16);
        ByteBuffer in = ByteBuffer.wrap(concat(emptyFragments(15), new byte[] {(byte) 0x80, 0, 0, 0}));
        assertEquals(0, ok.decode(in).remaining(), "the 16th fragment may end the record");
    }

    @Test
    void defaultFragmentCapScalesWithTheRecordSize() {
        assertEquals(1024, new RecordMarkingDecoder(64 * 1024).maxFragments());
        assertEquals(64 * 1024, new RecordMarkingDecoder(64 << 20).maxFragments());
    }

    @Test
    void fragmentCountRestartsWithEachRecord() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(100, 3);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(pattern(9), drain(d.decode(ByteBuffer.wrap(record(pattern(9), 3)))));
        }
    }

    @Test
    void maxBufferedBytesIsAWholeRecordAndItsHeader() {
        assertEquals(1004, new RecordMarkingDecoder(1000).maxBufferedBytes());
        assertEquals(Integer.MAX_VALUE - 4, new RecordMarkingDecoder(Integer.MAX_VALUE - 8).maxBufferedBytes());
        assertThrows(IllegalArgumentException.class, () -> new RecordMarkingDecoder(-1));
        assertThrows(IllegalArgumentException.class, () -> new RecordMarkingDecoder(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> new RecordMarkingDecoder(10, 0));
    }

    @Test
    void headerIsReadBigEndianWhateverTheInputOrder() throws FrameException {
        RecordMarkingDecoder d = new RecordMarkingDecoder(100);
        ByteBuffer in = hex("80000002 0102 00000001 03 80000001 04").order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[] {1, 2}, drain(d.decode(in)));
        assertArrayEquals(new byte[] {3, 4}, drain(d.decode(in)));
    }

    @Test
    void oneByteAtATimeYieldsTheSameRecords() throws FrameException {
        List<byte[]> payloads = List.of(pattern(0), pattern(1), pattern(7), pattern(64), pattern(200));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            stream.writeBytes(record(p, p.length > 50 ? 13 : Math.max(1, p.length)));
        }
        List<byte[]> out = Transport.feed(new RecordMarkingDecoder(200), stream.toByteArray(), new int[] {1});
        assertEquals(payloads.size(), out.size());
        for (int i = 0; i < payloads.size(); i++) {
            assertArrayEquals(payloads.get(i), out.get(i), "record " + i);
        }
    }

    @Test
    void reassemblyBufferThatGrewLargeIsReleasedAfterItsRecord() throws FrameException {
        int big = RecordMarkingDecoder.RETAINED_ASSEMBLY_CAPACITY * 2;
        RecordMarkingDecoder d = new RecordMarkingDecoder(big);
        ByteBuffer first = d.decode(ByteBuffer.wrap(record(pattern(big), big / 2)));
        assertEquals(big, first.capacity());
        ByteBuffer second = d.decode(ByteBuffer.wrap(record(pattern(10), 5)));
        assertEquals(RecordMarkingDecoder.INITIAL_ASSEMBLY_CAPACITY, second.capacity());
        assertArrayEquals(pattern(10), drain(second));
    }

    @Test
    void steadyStateReassemblyAllocatesNothing() throws FrameException {
        Allocations.assumeMeasurable();
        RecordMarkingDecoder d = new RecordMarkingDecoder(4096);
        ByteBuffer in = ByteBuffer.wrap(record(pattern(1000), 100));
        for (int i = 0; i < 20_000; i++) {
            in.rewind();
            d.decode(in);
        }
        long before = Allocations.allocatedBytes();
        long bytes = 0;
        for (int i = 0; i < 10_000; i++) {
            in.rewind();
            bytes += d.decode(in).remaining();
        }
        long allocated = Allocations.allocatedBytes() - before;
        assertEquals(10_000L * 1000, bytes);
        assertTrue(allocated < 4096, "steady-state reassembly allocated " + allocated + " bytes");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A transport's read loop in miniature: a buffer of {@code maxBufferedBytes}, filled in chunks. */
    static final class Transport {

        private Transport() {
        }

        /**
         * Feeds {@code stream} to {@code decoder} as a transport would: reads of the given sizes (cycled) into
         * a buffer no larger than {@link RecordMarkingDecoder#maxBufferedBytes()}, decoding after each read and
         * compacting. Fails if the decoder ever needs more than that buffer holds.
         */
        static List<byte[]> feed(RecordMarkingDecoder decoder, byte[] stream, int[] reads) throws FrameException {
            ByteBuffer buffer = ByteBuffer.allocate(decoder.maxBufferedBytes());
            List<byte[]> records = new ArrayList<>();
            int offset = 0;
            int read = 0;
            while (offset < stream.length) {
                int n = Math.min(Math.min(reads[read++ % reads.length], buffer.remaining()), stream.length - offset);
                if (n == 0) {
                    throw new AssertionError("decoder stalled with a full buffer of " + buffer.capacity() + " bytes");
                }
                buffer.put(stream, offset, n);
                offset += n;
                buffer.flip();
                ByteBuffer frame;
                while ((frame = decoder.decode(buffer)) != null) {
                    records.add(drain(frame));
                }
                buffer.compact();
            }
            if (buffer.position() != 0) {
                throw new AssertionError(buffer.position() + " bytes left undecoded at the end of the stream");
            }
            return records;
        }
    }
}
