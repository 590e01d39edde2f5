package io.ripcord.examples.glusterd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class GlusterDictPropertiesTest {

    /** The reply of {@code volume list} with two volumes, byte for byte from a real glusterd 10.3. */
    private static final String VOLUME_LIST_REPLY_DICT = "00000003"
            + "00000005" + "00000002" + "636f756e7400" + "3200"
            + "00000007" + "00000009" + "766f6c756d653100" + "74657374766f6c3200"
            + "00000007" + "00000008" + "766f6c756d653000" + "74657374766f6c00";

    @Test
    void encodesTheWayGlusterdDoesWithPairsInReverseInsertionOrder() {
        GlusterDict d = GlusterDict.builder().put("volume0", "testvol").put("volume1", "testvol2").put("count", 2)
                .build();
        assertEquals(VOLUME_LIST_REPLY_DICT, HexFormat.of().formatHex(d.encode()));
    }

    @Test
    void decodesGlusterdBytesInWireOrder() throws XdrException {
        GlusterDict d = GlusterDict.decode(ByteBuffer.wrap(HexFormat.of().parseHex(VOLUME_LIST_REPLY_DICT)));
        assertEquals(List.of("count", "volume1", "volume0"), d.entries().stream().map(GlusterDict.Entry::key).toList());
        assertEquals("testvol2", d.get("volume1"));
        assertArrayEquals(new byte[] {'2', 0}, d.entries().get(0).value());
    }

    @Test
    void anEchoedRequestComesBackReversed() throws XdrException {
        GlusterDict request = GlusterDict.builder().put("volname", "v").put("flags", "0").put("cmd-str", "x").build();
        GlusterDict decoded = GlusterDict.decode(ByteBuffer.wrap(request.encode()));
        GlusterDict reply = decoded.toBuilder().put("vol-id", "id").build();
        assertEquals(List.of("vol-id", "volname", "flags", "cmd-str"),
                reply.entries().stream().map(GlusterDict.Entry::key).toList());
    }

    @Test
    void emptyDictIsZeroBytesAndZeroBytesAreEmpty() throws XdrException {
        assertEquals(0, GlusterDict.EMPTY.encode().length);
        assertEquals(0, GlusterDict.builder().build().encode().length);
        assertEquals(GlusterDict.EMPTY, GlusterDict.decode(ByteBuffer.allocate(0)));
    }

    @Test
    void hugeCountIsRefusedBeforeAllocating() {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(0x7fffffff).putInt(1).putInt(1).flip();
        assertThrows(XdrException.class, () -> GlusterDict.decode(b));
    }

    @Test
    void keyWithoutNulIsRefused() {
        ByteBuffer b = ByteBuffer.allocate(14).putInt(1).putInt(1).putInt(1).put((byte) 'k').put((byte) 'X')
                .flip();
        assertThrows(XdrException.class, () -> GlusterDict.decode(b));
    }

    @Property
    void roundTripKeepsEveryPairInOrder(@ForAll("dicts") GlusterDict d) throws XdrException {
        GlusterDict back = GlusterDict.decode(ByteBuffer.wrap(d.encode()));
        assertEquals(d, back);
        assertArrayEquals(d.encode(), back.encode());
    }

    @Property
    void everyTruncationIsRefusedWithItsDeclaredException(@ForAll("dicts") GlusterDict d,
                                                           @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        byte[] full = d.encode();
        if (full.length == 0) {
            return;
        }
        int length = full.length - 1 - (cut % full.length);
        byte[] truncated = Arrays.copyOf(full, length);
        if (length == 0) {
            return; // zero bytes are the empty dict, by definition
        }
        assertThrows(XdrException.class, () -> GlusterDict.decode(ByteBuffer.wrap(truncated)));
    }

    @Property
    void mutatedBytesDecodeOrFailOnlyWithXdrException(@ForAll("dicts") GlusterDict d,
                                                      @ForAll @Size(max = 8) List<@IntRange(min = 0) Integer> spots,
                                                      @ForAll @Size(max = 8) List<Byte> values) throws Exception {
        byte[] bytes = d.encode();
        if (bytes.length == 0) {
            return;
        }
        for (int i = 0; i < Math.min(spots.size(), values.size()); i++) {
            bytes[spots.get(i) % bytes.length] = values.get(i);
        }
        decodeOrXdrException(bytes);
    }

    @Property
    void randomBytesDecodeOrFailOnlyWithXdrException(@ForAll @Size(max = 512) byte[] bytes) throws Exception {
        decodeOrXdrException(bytes);
    }

    @Property
    void randomBytesAfterAPlausibleHeaderDecodeOrFailOnlyWithXdrException(
            @ForAll @IntRange(min = 0, max = 64) int count, @ForAll @Size(max = 256) byte[] rest) throws Exception {
        decodeOrXdrException(ByteBuffer.allocate(4 + rest.length).putInt(count).put(rest).array());
    }

    private static void decodeOrXdrException(byte[] bytes) throws Exception {
        GlusterDict decoded;
        try {
            decoded = GlusterDict.decode(ByteBuffer.wrap(bytes));
        } catch (XdrException expected) {
            return;
        }
        // Whatever decodes re-encodes to the same bytes (keys are UTF-8: compare when they survive it), except
        // that a count of 0 is the empty dict, which travels as zero bytes.
        if (decoded.isEmpty()) {
            assertTrue(bytes.length == 0 || Arrays.equals(bytes, new byte[4]), HexFormat.of().formatHex(bytes));
        } else if (decoded.entries().stream().noneMatch(e -> e.key().contains("\uFFFD"))) {
            assertArrayEquals(bytes, decoded.encode());
        }
    }

    @Provide
    Arbitrary<GlusterDict> dicts() {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('!', '~').ofMinLength(0).ofMaxLength(40);
        Arbitrary<GlusterDict.Entry> strings = Combinators.combine(keys, Arbitraries.strings().ofMaxLength(60)
                .filter(s -> s.indexOf('\0') < 0)).as(GlusterDict::stringEntry);
        Arbitrary<GlusterDict.Entry> binaries = Combinators.combine(keys, Arbitraries.bytes().array(byte[].class)
                .ofMaxSize(40)).as(GlusterDict::binaryEntry);
        return Arbitraries.oneOf(strings, binaries).list().ofMaxSize(20)
                .map(l -> GlusterDict.of(new ArrayList<>(l)));
    }
}
