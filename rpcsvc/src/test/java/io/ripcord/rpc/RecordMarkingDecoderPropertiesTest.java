package io.ripcord.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.transport.FrameException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Record marking under arbitrary splits of the stream, fragment sizes and garbage. */
class RecordMarkingDecoderPropertiesTest {

    private static final int MAX = 512;

    @Property(tries = 300)
    void anySplitOfAnyFragmentationYieldsTheSameRecords(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = MAX) Integer> lengths,
            @ForAll @IntRange(min = 1, max = 600) int fragment,
            @ForAll @Size(min = 1, max = 5) int[] reads) throws FrameException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < lengths.size(); i++) {
            stream.writeBytes(RecordMarkingDecoderTest.record(payload(i, lengths.get(i)), fragment));
        }
        int[] readSizes = new int[reads.length];
        for (int i = 0; i < reads.length; i++) {
            readSizes[i] = 1 + Math.floorMod(reads[i], 700);
        }
        List<byte[]> out = RecordMarkingDecoderTest.Transport.feed(new RecordMarkingDecoder(MAX),
                stream.toByteArray(), readSizes);
        assertEquals(lengths.size(), out.size());
        for (int i = 0; i < lengths.size(); i++) {
            assertArrayEquals(payload(i, lengths.get(i)), out.get(i), "record " + i);
        }
    }

    @Property(tries = 200)
    void everyCutPointOfATwoRecordStreamDecodesTheSame(@ForAll @IntRange(min = 1, max = 40) int fragment)
            throws FrameException {
        byte[] stream = RecordMarkingDecoderTest.concat(
                RecordMarkingDecoderTest.record(payload(1, 57), fragment),
                RecordMarkingDecoderTest.record(payload(2, 3), Math.max(1, fragment / 2)));
        for (int cut = 0; cut <= stream.length; cut++) {
            List<byte[]> out = RecordMarkingDecoderTest.Transport.feed(new RecordMarkingDecoder(MAX), stream,
                    new int[] {Math.max(1, cut), stream.length});
            assertEquals(2, out.size(), "cut at " + cut);
            assertArrayEquals(payload(1, 57), out.get(0));
            assertArrayEquals(payload(2, 3), out.get(1));
        }
    }

    @Property
    void randomBytesFailOnlyWithFrameException(@ForAll @Size(max = 300) byte[] garbage,
                                               @ForAll @IntRange(min = 1, max = 64) int maxFragments) {
        RecordMarkingDecoder d = new RecordMarkingDecoder(MAX, maxFragments);
        ByteBuffer in = ByteBuffer.wrap(garbage);
        try {
            int before;
            do {
                before = in.position();
                ByteBuffer frame = d.decode(in);
                if (frame != null) {
                    assertTrue(frame.remaining() <= MAX);
                }
            } while (in.position() != before);
        } catch (FrameException expected) {
            // Garbage may be rejected, but only this way.
        }
    }

    @Property
    void mutatedHeadersFailOnlyWithFrameExceptionOrStayWithinTheLimit(
            @ForAll @IntRange(min = 0, max = MAX) int length, @ForAll @IntRange(min = 1, max = 100) int fragment,
            @ForAll int newHeader, @ForAll @IntRange(min = 0) int which) {
        byte[] wire = RecordMarkingDecoderTest.record(payload(0, length), fragment);
        int headers = Math.max(1, (length + fragment - 1) / fragment);
        int at = (which % headers) * (fragment + 4);
        ByteBuffer.wrap(wire).putInt(at, newHeader);
        RecordMarkingDecoder d = new RecordMarkingDecoder(MAX);
        try {
            ByteBuffer in = ByteBuffer.wrap(wire);
            ByteBuffer frame;
            while ((frame = d.decode(in)) != null) {
                assertTrue(frame.remaining() <= MAX);
            }
        } catch (FrameException expected) {
            // A header over the limit is rejected, but only this way.
        }
    }

    @Property(tries = 50)
    void decoderNeverReturnsARecordForAnIncompleteStream(
            @ForAll @IntRange(min = 1, max = MAX) int length, @ForAll @IntRange(min = 1, max = 64) int fragment)
            throws FrameException {
        byte[] wire = RecordMarkingDecoderTest.record(payload(0, length), fragment);
        RecordMarkingDecoder d = new RecordMarkingDecoder(MAX);
        ByteBuffer in = ByteBuffer.wrap(wire, 0, wire.length - 1);
        assertNull(d.decode(in));
    }

    private static byte[] payload(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed * 7);
        }
        return b;
    }
}
