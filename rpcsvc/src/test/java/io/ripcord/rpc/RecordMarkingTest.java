package io.ripcord.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The sending side of RFC 5531 section 11 record marking: exact header and fragment bytes. */
class RecordMarkingTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] drain(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void headerSetsBit31OnlyOnTheLastFragment() {
        assertEquals(0x8000_0005, RecordMarking.header(5, true));
        assertEquals(5, RecordMarking.header(5, false));
        assertEquals(0xFFFF_FFFF, RecordMarking.header(RecordMarking.MAX_FRAGMENT_LENGTH, true));
        assertTrue(RecordMarking.isLast(0x8000_0000));
        assertFalse(RecordMarking.isLast(0x7FFF_FFFF));
        assertEquals(0x7FFF_FFFF, RecordMarking.fragmentLength(0xFFFF_FFFF));
        assertThrows(IllegalArgumentException.class, () -> RecordMarking.header(-1, true));
    }

    @Test
    void putHeaderIsBigEndianWhateverTheBufferOrder() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        RecordMarking.putHeader(b, 0x010203, true);
        RecordMarking.putHeader(b, 7, false);
        assertEquals(8, b.position());
        assertArrayEquals(hex("80010203 00000007"), b.array());
    }

    @Test
    void payloadIsSplitIntoFragmentsOfAtMostTheGivenLength() {
        ByteBuffer payload = ByteBuffer.wrap(hex("0102030405060708 09"));
        assertEquals(9 + 3 * 4, RecordMarking.recordSize(9, 4));
        assertArrayEquals(hex("00000004 01020304 00000004 05060708 80000001 09"),
                drain(RecordMarking.toRecord(payload, 4)));
        assertFalse(payload.hasRemaining());
    }

    @Test
    void payloadThatFillsWholeFragmentsEndsWithAFullLastFragment() {
        assertArrayEquals(hex("00000002 0102 80000002 0304"),
                drain(RecordMarking.toRecord(ByteBuffer.wrap(hex("01020304")), 2)));
    }

    @Test
    void emptyPayloadIsOneEmptyLastFragment() {
        assertEquals(4, RecordMarking.recordSize(0, 10));
        assertArrayEquals(hex("80000000"), drain(RecordMarking.toRecord(ByteBuffer.allocate(0), 10)));
    }

    @Test
    void writeRecordRefusesATooSmallDestinationWithoutWriting() {
        ByteBuffer dst = ByteBuffer.allocate(11);
        ByteBuffer payload = ByteBuffer.wrap(new byte[8]);
        assertThrows(BufferOverflowException.class, () -> RecordMarking.writeRecord(payload, 4, dst));
        assertEquals(0, dst.position());
        assertEquals(0, payload.position());
        assertThrows(IllegalArgumentException.class, () -> RecordMarking.recordSize(1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> RecordMarking.recordSize(Integer.MAX_VALUE, 1), "overflowing an int is refused");
    }

    @Test
    void encoderRecordGetsItsMarkWithoutCopying() {
        XdrEncoder e = new XdrEncoder();
        RecordMarking.startRecord(e);
        e.writeInt(0x0A0B0C0D);
        e.writeString("ab", 8);
        ByteBuffer record = RecordMarking.finishRecord(e);
        assertArrayEquals(hex("8000000c 0a0b0c0d 00000002 61620000"), drain(record));

        RecordMarking.startRecord(e);
        assertArrayEquals(hex("80000000"), drain(RecordMarking.finishRecord(e)), "reuse starts over");
        e.reset();
        assertThrows(IllegalStateException.class, () -> RecordMarking.finishRecord(e));
    }

    @Test
    void framingAMessageWithHeadroomWritesTheMarkInPlaceAndOneWithoutCopies() {
        XdrEncoder e = new XdrEncoder();
        e.reset(RecordMarking.HEADER_SIZE);
        e.writeInt(0x01020304);
        e.writeInt(5);
        ByteBuffer message = e.toBuffer();
        assertEquals(4, message.position(), "the message starts after the headroom");
        ByteBuffer record = RecordMarking.frame(message);
        assertTrue(record == message, "in place");
        assertEquals("8000000801020304" + "00000005", HexFormat.of().formatHex(bytes(record)));

        ByteBuffer tight = ByteBuffer.wrap(new byte[] {9, 9, 9});
        ByteBuffer copied = RecordMarking.frame(tight);
        assertEquals("80000003090909", HexFormat.of().formatHex(bytes(copied)));
        assertEquals(0, tight.position(), "the message is not consumed");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
