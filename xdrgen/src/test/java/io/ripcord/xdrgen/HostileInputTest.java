package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * What a hostile peer can send the generated decoders: lengths over their maximum, list headers that promise
 * more than the message holds, discriminants without an arm, lists a million long, trees nested past any stack.
 * Each is rejected with an {@link XdrException} before anything is allocated for the claimed size, or (the
 * long list) decoded in constant stack.
 */
class HostileInputTest {

    private static final Generated G = RoundTripProperties.EVERYTHING;
    /** Far less than any of the claimed sizes; room for the exception and its message. */
    private static final long ALLOCATION_BUDGET = 64 * 1024;

    @SuppressWarnings("unchecked")
    private static XdrType<Object> type(String name) {
        return (XdrType<Object>) G.types().get(name);
    }

    private static ByteBuffer hex(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static XdrException rejectedWithoutAllocating(Executable decode) {
        ThreadAllocations.assumeMeasurable();
        assertThrows(XdrException.class, decode); // warms the path: class loading is not counted
        long before = ThreadAllocations.allocatedBytes();
        XdrException e = assertThrows(XdrException.class, decode);
        long allocated = ThreadAllocations.allocatedBytes() - before;
        assertTrue(allocated < ALLOCATION_BUDGET, "allocated " + allocated + " bytes before rejecting");
        return e;
    }

    @Test
    void lengthsOverTheirDeclaredMaximumAreRejectedWithoutAllocating() {
        XdrException e = rejectedWithoutAllocating(() -> type("name").decodeExactly(hex("7fffffff 61626364")));
        assertTrue(e.getMessage().contains("exceeds its declared maximum 64"), e.getMessage());
        rejectedWithoutAllocating(() -> type("ints").decodeExactly(hex("00000011" + "00000000".repeat(17))));
        rejectedWithoutAllocating(() -> type("colors").decodeExactly(hex("00000005")));
    }

    @Test
    void unboundedLengthsBeyondTheBytesPresentAreRejectedWithoutAllocating() {
        XdrException e = rejectedWithoutAllocating(() -> type("blob").decodeExactly(hex("7fffffff 01020304")));
        assertTrue(e.getMessage().contains("only 4 remain"), e.getMessage());
        rejectedWithoutAllocating(() -> type("hypers").decodeExactly(hex("40000000 00000000 00000001")));
        rejectedWithoutAllocating(() -> type("node").decodeExactly(hex("00000000 7fffffff 00000000")));
    }

    @Test
    void discriminantsWithoutAnArmAndUndeclaredEnumValuesAreRejected() {
        assertEquals("by_unsigned has no arm for code 2",
                rejectedWithoutAllocating(() -> type("by_unsigned").decodeExactly(hex("00000002"))).getMessage());
        assertEquals("color has no member 3",
                rejectedWithoutAllocating(() -> type("shape").decodeExactly(hex("00000003"))).getMessage());
        assertTrue(rejectedWithoutAllocating(() -> type("maybe_value").decodeExactly(hex("00000002")))
                .getMessage().contains("bool must be 0 or 1"));
    }

    @Test
    void bytesLeftOverAndTruncatedValuesAreRejected() {
        assertEquals("4 bytes left after the color",
                assertThrows(XdrException.class, () -> type("color").decodeExactly(hex("00000000 00000000")))
                        .getMessage());
        assertThrows(XdrException.class, () -> type("handle").decodeExactly(hex("01020304")));
        assertThrows(XdrException.class, () -> type("pair_t").decodeExactly(hex("00000001 00000000")));
    }

    @Test
    void stringsMustBeWellFormedUtf8WithoutNul() throws XdrException {
        assertTrue(assertThrows(XdrException.class, () -> type("name").decodeExactly(hex("00000002 c3280000")))
                .getMessage().contains("not well-formed UTF-8"));
        assertTrue(assertThrows(XdrException.class, () -> type("name").decodeExactly(hex("00000003 61006200")))
                .getMessage().contains("NUL"));
        assertEquals("é", type("name").decodeExactly(hex("00000002 c3a90000")));
    }

    @Test
    void aListOfAMillionEntriesDecodesEncodesComparesAndPrintsWithoutRecursion() throws Exception {
        int n = 1_000_000;
        // node { name label = "" ; int weights<> = [] ; node *next }, present for all but the last
        ByteBuffer b = ByteBuffer.allocate(4 + n * 12);
        b.putInt(1);
        for (int i = 0; i < n; i++) {
            b.putInt(0).putInt(0).putInt(i + 1 < n ? 1 : 0);
        }
        byte[] bytes = b.array();
        XdrType<Object> list = type("node_list");
        Object head = list.decodeExactly(ByteBuffer.wrap(bytes));
        assertArrayEquals(bytes, list.encodeToBytes(head));
        Object again = list.decodeExactly(ByteBuffer.wrap(bytes));
        assertEquals(head, again);
        assertEquals(head.hashCode(), again.hashCode());
        String text = head.toString();
        assertTrue(text.startsWith("{label: \"\", weights: [], next: {label: \"\""), text.substring(0, 80));
        assertEquals(n * "{label: \"\", weights: [], next: ".length() + "null".length() + n, text.length());
        assertEquals(head, list.parse(text), "the text form parses back in a loop too");
    }

    @Test
    void aTreeNestedDeeperThanTheLimitIsAnXdrExceptionNotAStackOverflow() {
        int depth = 100_000;
        // tree { int value; tree *left; tree *right; }: every node has a left child, no right one
        ByteBuffer b = ByteBuffer.allocate(depth * 12 + 8);
        for (int i = 0; i < depth; i++) {
            b.putInt(i).putInt(1);
        }
        b.putInt(0).putInt(0);
        for (int i = 0; i < depth; i++) {
            b.putInt(0);
        }
        XdrException e = assertThrows(XdrException.class, () -> type("tree").decodeExactly(ByteBuffer.wrap(
                b.array(), 0, b.position())));
        assertEquals("tree nested deeper than " + Limits.MAX_DEPTH, e.getMessage());
    }

    @Test
    void aTreeWithinTheLimitDecodes() throws Exception {
        int depth = 100;
        ByteBuffer b = ByteBuffer.allocate(depth * 12 + 12);
        for (int i = 0; i < depth; i++) {
            b.putInt(i).putInt(1);
        }
        b.putInt(depth).putInt(0).putInt(0);
        for (int i = 0; i < depth; i++) {
            b.putInt(0);
        }
        byte[] bytes = java.util.Arrays.copyOf(b.array(), b.position());
        assertArrayEquals(bytes, type("tree").roundTrip(ByteBuffer.wrap(bytes)));
    }
}
