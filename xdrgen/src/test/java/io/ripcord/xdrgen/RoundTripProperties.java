package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import io.ripcord.rpc.xdr.XdrValues;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every type of {@code everything.x} (structs, unions, enums and typedefs alike, through the generated registry):
 * valid bytes decode and encode back to themselves, and a value survives its text form.
 */
class RoundTripProperties {

    static final Generated EVERYTHING = Generated.compile("rt.everything", Path.of("src/test/resources/x/everything.x"));
    private static final List<String> NAMES = List.copyOf(EVERYTHING.types().keySet());

    /** One type and a valid encoding of it. */
    record Sample(String type, byte[] bytes) {
        @Override
        public String toString() {
            return type + " " + HexFormat.of().formatHex(bytes);
        }
    }

    @Provide
    Arbitrary<Sample> samples() {
        return Arbitraries.randomValue((Random r) -> {
            String name = NAMES.get(r.nextInt(NAMES.size()));
            return new Sample(name, ValidBytes.of(EVERYTHING.schema, EVERYTHING.shapeOf(name), r));
        });
    }

    @SuppressWarnings("unchecked")
    private static XdrType<Object> type(String name) {
        return (XdrType<Object>) EVERYTHING.types().get(name);
    }

    @Property
    void validBytesDecodeAndEncodeBackToThemselves(@ForAll("samples") Sample s) throws XdrException {
        assertArrayEquals(s.bytes(), type(s.type()).roundTrip(ByteBuffer.wrap(s.bytes())), s.toString());
    }

    @Property
    void aDecodedValueEqualsItsOwnDecodeAgainAndHashesAlike(@ForAll("samples") Sample s) throws XdrException {
        XdrType<Object> t = type(s.type());
        Object a = t.decodeExactly(ByteBuffer.wrap(s.bytes()));
        Object b = t.decodeExactly(ByteBuffer.wrap(t.encodeToBytes(a)));
        // Records compare by content themselves; a typedef's bare byte[] or list of them needs XdrValues.
        assertTrue(XdrValues.deepEquals(a, b), s.toString());
        assertEquals(XdrValues.deepHashCode(a), XdrValues.deepHashCode(b), s.toString());
    }

    @Property
    void aValueSurvivesItsTextForm(@ForAll("samples") Sample s) throws XdrException {
        XdrType<Object> t = type(s.type());
        Object value = t.decodeExactly(ByteBuffer.wrap(s.bytes()));
        String text = t.text(value);
        Object parsed = t.parse(text);
        assertEquals(text, t.text(parsed));
        assertArrayEquals(s.bytes(), t.encodeToBytes(parsed), text);
    }

    @Property
    void mutatedBytesDecodeOrFailWithXdrExceptionOnly(@ForAll("samples") Sample s, @ForAll Random r) {
        byte[] mutated = Mutations.of(s.bytes(), r);
        try {
            byte[] again = type(s.type()).roundTrip(ByteBuffer.wrap(mutated));
            assertArrayEquals(again, type(s.type()).roundTrip(ByteBuffer.wrap(again)), "canonical is a fixed point");
        } catch (XdrException expected) {
            // The one error a decode may throw.
        }
    }
}
