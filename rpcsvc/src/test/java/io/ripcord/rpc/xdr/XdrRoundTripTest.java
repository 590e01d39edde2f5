package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever the encoder writes, the decoder reads back, from heap, direct and little-endian-flagged buffers. */
class XdrRoundTripTest {

    enum Source { HEAP, DIRECT, LITTLE_ENDIAN_FLAG, OFFSET_SLICE }

    /** The encoding, copied into the kind of buffer a decoder may be handed. */
    private static XdrDecoder decoderOver(XdrEncoder e, Source source) {
        ByteBuffer wire = e.toBuffer();
        ByteBuffer b;
        switch (source) {
            case DIRECT -> b = ByteBuffer.allocateDirect(wire.remaining()).put(wire).flip();
            case LITTLE_ENDIAN_FLAG -> b = ByteBuffer.allocate(wire.remaining()).put(wire).flip()
                    .order(ByteOrder.LITTLE_ENDIAN);
            case OFFSET_SLICE -> {
                ByteBuffer big = ByteBuffer.allocate(wire.remaining() + 7);
                big.position(3);
                big.put(wire);
                b = big.flip().position(3).slice();
            }
            default -> b = ByteBuffer.allocate(wire.remaining()).put(wire).flip();
        }
        return new XdrDecoder(b, true);
    }

    @Property
    void integersRoundTrip(@ForAll int i, @ForAll long h, @ForAll boolean b, @ForAll Source source)
            throws XdrException {
        long u = i & 0xFFFF_FFFFL;
        XdrEncoder e = new XdrEncoder(4, 1 << 16, false);
        e.writeInt(i);
        e.writeUnsignedInt(u);
        e.writeEnum(i);
        e.writeHyper(h);
        e.writeUnsignedHyper(h);
        e.writeBoolean(b);
        XdrDecoder d = decoderOver(e, source);
        assertEquals(i, d.readInt());
        assertEquals(u, d.readUnsignedInt());
        assertEquals(i, d.readEnum());
        assertEquals(h, d.readHyper());
        assertEquals(h, d.readUnsignedHyper());
        assertEquals(b, d.readBoolean());
        assertFalse(d.hasRemaining());
    }

    @Property
    void floatsRoundTripBitForBit(@ForAll int floatBits, @ForAll long doubleBits, @ForAll Source source)
            throws XdrException {
        float f = Float.intBitsToFloat(floatBits);
        double x = Double.longBitsToDouble(doubleBits);
        XdrEncoder e = new XdrEncoder();
        e.writeFloat(f);
        e.writeDouble(x);
        XdrDecoder d = decoderOver(e, source);
        assertEquals(floatBits, Float.floatToRawIntBits(d.readFloat()));
        assertEquals(doubleBits, Double.doubleToRawLongBits(d.readDouble()));
    }

    @Property
    void opaqueRoundTripsWithPaddingToFour(@ForAll @Size(max = 300) byte[] data, @ForAll Source source)
            throws XdrException {
        XdrEncoder e = new XdrEncoder(4, 1 << 16, false);
        e.writeOpaque(data, 300);
        e.writeFixedOpaque(data);
        e.writeOpaque(ByteBuffer.wrap(data), 300);
        assertEquals(0, e.size() % 4);
        assertEquals(2 * 4 + 3 * ((data.length + 3) / 4 * 4), e.size(), "two lengths, three padded copies");
        XdrDecoder d = decoderOver(e, source);
        assertArrayEquals(data, d.readOpaque(300));
        assertArrayEquals(data, d.readFixedOpaque(data.length));
        ByteBuffer view = d.readOpaqueAsBuffer(300);
        assertEquals(ByteBuffer.wrap(data), view);
        assertFalse(d.hasRemaining());
    }

    @Property
    void stringsRoundTripAsUtf8(@ForAll("strings") String s, @ForAll Source source) throws XdrException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        XdrEncoder e = new XdrEncoder(4, 1 << 16, false);
        e.writeString(s, utf8.length);
        ByteBuffer wire = e.toBuffer().duplicate();
        assertEquals(utf8.length, wire.getInt());
        byte[] written = new byte[utf8.length];
        wire.get(written);
        assertArrayEquals(utf8, written, "the encoder's UTF-8 matches String.getBytes");

        XdrDecoder d = decoderOver(e, source);
        assertEquals(new String(utf8, StandardCharsets.UTF_8), d.readString(utf8.length));
        assertFalse(d.hasRemaining());
    }

    @Provide
    Arbitrary<String> strings() {
        // Any chars, including unpaired surrogates, which both sides write as '?'.
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().ascii().ofMaxLength(40),
                Arbitraries.strings().withCharRange('\uD700', '\uE000').ofMaxLength(10));
    }

    @Property
    void arraysAndOptionalsRoundTrip(@ForAll @Size(max = 20) List<@StringLength(max = 12) String> names,
                                     @ForAll @Size(max = 20) List<Integer> intList, @ForAll("maybe") Long optional,
                                     @ForAll Source source) throws XdrException {
        int[] ints = intList.stream().mapToInt(Integer::intValue).toArray();
        XdrWriter<String> w = (enc, s) -> enc.writeString(s, 64);
        XdrEncoder e = new XdrEncoder(4, 1 << 16, false);
        e.writeArray(names, 20, w);
        e.writeFixedArray(names, names.size(), w);
        e.writeIntArray(ints, 20);
        e.writeOptional(optional, XdrEncoder::writeHyper);
        XdrDecoder d = decoderOver(e, source);
        List<String> expected = names.stream().map(s -> new String(s.getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8)).toList();
        assertEquals(expected, d.readArray(20, dec -> dec.readString(64)));
        assertEquals(expected, d.readFixedArray(names.size(), dec -> dec.readString(64)));
        assertArrayEquals(ints, d.readIntArray(20));
        Long back = d.readOptional(XdrDecoder::readHyper);
        if (optional == null) {
            assertNull(back);
        } else {
            assertEquals(optional, back);
        }
        assertFalse(d.hasRemaining());
    }

    @Provide
    Arbitrary<Long> maybe() {
        return Arbitraries.longs().injectNull(0.3);
    }

    @Property
    void decoderIsReusableAcrossBuffers(@ForAll @Size(min = 1, max = 8) int[] values) throws XdrException {
        XdrDecoder d = new XdrDecoder(ByteBuffer.allocate(0));
        for (int v : values) {
            XdrEncoder e = new XdrEncoder();
            e.writeInt(v);
            assertEquals(v, d.reset(e.toBuffer()).readInt());
        }
        assertEquals(values.length, Arrays.stream(values).count());
    }
}
