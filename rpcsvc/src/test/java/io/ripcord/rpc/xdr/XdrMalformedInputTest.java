package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever bytes arrive, decoding either succeeds or throws {@link XdrException}: nothing else escapes. */
class XdrMalformedInputTest {

    /**
     * A message exercising every decoder method, with a recursive optional tail:
     * <pre>
     * struct node { int id; hyper h; bool b; float f; double d; string name&lt;32&gt;; opaque blob&lt;64&gt;;
     *               opaque tag[5]; int gids&lt;16&gt;; string aliases&lt;4&gt;&lt;8&gt;; colour c; node *next; };
     * </pre>
     */
    record Node(int id, long h, boolean b, float f, double d, String name, byte[] blob, byte[] tag, int[] gids,
                List<String> aliases, int colour, Node next) {

        static final XdrWriter<Node> WRITER = Node::write;
        static final XdrReader<Node> READER = Node::read;

        static void write(XdrEncoder e, Node n) {
            e.writeInt(n.id);
            e.writeHyper(n.h);
            e.writeBoolean(n.b);
            e.writeFloat(n.f);
            e.writeDouble(n.d);
            e.writeString(n.name, 32);
            e.writeOpaque(n.blob, 64);
            e.writeFixedOpaque(n.tag);
            e.writeIntArray(n.gids, 16);
            e.writeArray(n.aliases, 4, (enc, s) -> enc.writeString(s, 8));
            e.writeEnum(n.colour);
            e.writeOptional(n.next, WRITER);
        }

        static Node read(XdrDecoder d) throws XdrException {
            int id = d.readInt();
            long h = d.readUnsignedHyper();
            boolean b = d.readBoolean();
            float f = d.readFloat();
            double x = d.readDouble();
            String name = d.readString(32);
            ByteBuffer view = d.readOpaqueAsBuffer(64);
            byte[] blob = new byte[view.remaining()];
            view.get(blob);
            byte[] tag = d.readFixedOpaque(5);
            int[] gids = d.readIntArray(16);
            List<String> aliases = d.readArray(4, dec -> dec.readString(8));
            int colour = d.readEnum();
            if (colour < 0 || colour > 2) {
                throw new XdrException("unknown colour " + colour);
            }
            return new Node(id, h, b, f, x, name, blob, tag, gids, aliases, colour, d.readOptional(READER));
        }
    }

    @Provide
    Arbitrary<byte[]> validEncodings() {
        Arbitrary<Node> leaf = Combinators.combine(
                Arbitraries.integers(), Arbitraries.longs(), Arbitraries.of(true, false),
                Arbitraries.strings().ascii().ofMaxLength(32), Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.integers().array(int[].class).ofMaxSize(16),
                Arbitraries.strings().alpha().ofMaxLength(8).list().ofMaxSize(4), Arbitraries.integers().between(0, 2))
                .as((id, h, b, name, blob, gids, aliases, colour) ->
                        new Node(id, h, b, 1.5f, -2.25, name, blob, new byte[] {1, 2, 3, 4, 5}, gids, aliases, colour,
                                null));
        return leaf.list().ofMinSize(1).ofMaxSize(3).map(nodes -> {
            Node head = null;
            for (Node n : nodes) {
                head = new Node(n.id, n.h, n.b, n.f, n.d, n.name, n.blob, n.tag, n.gids, n.aliases, n.colour, head);
            }
            XdrEncoder e = new XdrEncoder();
            e.write(head, Node.WRITER);
            ByteBuffer b = e.toBuffer();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        });
    }

    /** Decodes {@code wire} as a node list; returns normally, or throws only {@link XdrException}. */
    private static void decodeAllowingOnlyXdrException(byte[] wire, boolean strict) {
        try {
            new XdrDecoder(ByteBuffer.wrap(wire), strict).read(Node.READER);
        } catch (XdrException expected) {
            // Malformed input is allowed to fail, but only this way.
        }
    }

    @Property
    void validEncodingsDecodeAndConsumeEverything(@ForAll("validEncodings") byte[] wire) throws XdrException {
        XdrDecoder d = new XdrDecoder(ByteBuffer.wrap(wire), true);
        d.read(Node.READER);
        assertEquals(0, d.remaining());
    }

    @Property
    void randomBytesFailOnlyWithXdrException(@ForAll @Size(max = 200) byte[] wire, @ForAll boolean strict) {
        decodeAllowingOnlyXdrException(wire, strict);
    }

    @Property
    void truncatedEncodingsAlwaysFailWithXdrException(@ForAll("validEncodings") byte[] wire,
                                                      @ForAll @IntRange(min = 1, max = 1000) int cut) {
        byte[] truncated = java.util.Arrays.copyOf(wire, Math.max(0, wire.length - cut));
        try {
            new XdrDecoder(ByteBuffer.wrap(truncated)).read(Node.READER);
        } catch (XdrException expected) {
            return;
        }
        throw new AssertionError("a truncated encoding of " + truncated.length + " of " + wire.length
                + " bytes decoded");
    }

    @Property
    void mutatedEncodingsFailOnlyWithXdrException(@ForAll("validEncodings") byte[] wire,
                                                   @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0) Integer> at,
                                                   @ForAll @Size(min = 8, max = 8) byte[] values,
                                                   @ForAll boolean strict) {
        byte[] mutated = wire.clone();
        List<Integer> positions = new ArrayList<>(at);
        for (int i = 0; i < positions.size(); i++) {
            mutated[positions.get(i) % mutated.length] = values[i];
        }
        decodeAllowingOnlyXdrException(mutated, strict);
    }

    @Property
    void hugeLengthsSpliceIntoValidEncodingsFailOnlyWithXdrException(
            @ForAll("validEncodings") byte[] wire, @ForAll @IntRange(min = 0, max = 400) int wordIndex,
            @ForAll("hugeWords") int word) {
        byte[] mutated = wire.clone();
        int at = (wordIndex * 4) % (mutated.length - 3);
        ByteBuffer.wrap(mutated).putInt(at - at % 4, word);
        decodeAllowingOnlyXdrException(mutated, false);
    }

    @Provide
    Arbitrary<Integer> hugeWords() {
        return Arbitraries.of(-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF_FFFC, 65, 17, 2, 3);
    }
}
