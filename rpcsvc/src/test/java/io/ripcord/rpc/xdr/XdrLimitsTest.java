package io.ripcord.rpc.xdr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every length from the wire is checked against its maximum and the bytes present before allocation. */
class XdrLimitsTest {

    /** Far less than any array the claimed lengths would need; room for the exception and its message. */
    private static final long ALLOCATION_BUDGET = 64 * 1024;

    private static XdrDecoder decoder(String hex) {
        return new XdrDecoder(ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    private static XdrException rejectedWithoutAllocating(Executable decode) {
        Allocations.assumeMeasurable();
        // Warm the exception path once so class loading is not counted.
        assertThrows(XdrException.class, decode);
        long before = Allocations.allocatedBytes();
        XdrException e = assertThrows(XdrException.class, decode);
        long allocated = Allocations.allocatedBytes() - before;
        assertTrue(allocated < ALLOCATION_BUDGET, "allocated " + allocated + " bytes before rejecting");
        return e;
    }

    @Test
    void opaqueClaimingMaxIntWithEightBytesPresentIsRejectedWithoutAllocating() {
        XdrException e = rejectedWithoutAllocating(
                () -> decoder("7fffffff 01020304 05060708").readOpaque(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
    }

    @Test
    void opaqueClaimingMoreThanMaxIntIsRejectedWithoutAllocating() {
        rejectedWithoutAllocating(() -> decoder("ffffffff 01020304").readOpaque(Integer.MAX_VALUE));
        rejectedWithoutAllocating(() -> decoder("ffffffff 01020304").readOpaqueAsBuffer(Integer.MAX_VALUE));
    }

    @Test
    void stringArrayAndIntArrayClaimingHugeLengthsAreRejectedWithoutAllocating() {
        rejectedWithoutAllocating(() -> decoder("7fffffff 61626364").readString(Integer.MAX_VALUE));
        rejectedWithoutAllocating(() -> decoder("7fffffff 00000001").readIntArray(Integer.MAX_VALUE));
        rejectedWithoutAllocating(
                () -> decoder("7fffffff 00000001").readArray(Integer.MAX_VALUE, XdrDecoder::readInt));
        rejectedWithoutAllocating(
                () -> decoder("00000001").readFixedArray(Integer.MAX_VALUE, XdrDecoder::readInt));
        rejectedWithoutAllocating(() -> decoder("00000001").readFixedOpaque(Integer.MAX_VALUE));
    }

    @Test
    void lengthOverTheDeclaredMaximumIsRejectedEvenWhenTheBytesArePresent() {
        XdrException e = assertThrows(XdrException.class, () -> decoder("00000005 01020304 05000000").readOpaque(4));
        assertTrue(e.getMessage().contains("maximum 4"), e.getMessage());
        assertThrows(XdrException.class, () -> decoder("00000003 61626300").readString(2));
        assertThrows(XdrException.class, () -> decoder("00000003 00000001 00000002 00000003").readIntArray(2));
        assertThrows(XdrException.class,
                () -> decoder("00000002 00000001 00000002").readArray(1, XdrDecoder::readInt));
    }

    @Test
    void lengthAtTheDeclaredMaximumIsAccepted() throws XdrException {
        assertArrayEquals(new byte[] {1, 2, 3, 4}, decoder("00000004 01020304").readOpaque(4));
        assertEquals("abc", decoder("00000003 61626300").readString(3));
    }

    @Test
    void missingPaddingIsATruncation() {
        // Five data bytes need three of padding: the data alone is not enough.
        assertThrows(XdrException.class, () -> decoder("00000005 01020304 05").readOpaque(8));
        assertThrows(XdrException.class, () -> decoder("01020304 05").readFixedOpaque(5));
    }

    @Test
    void truncatedPrimitivesAreRejected() {
        assertThrows(XdrException.class, () -> decoder("000000").readInt());
        assertThrows(XdrException.class, () -> decoder("00000000 000000").readHyper());
        assertThrows(XdrException.class, () -> decoder("3ff00000").readDouble());
        assertThrows(XdrException.class, () -> decoder("").readBoolean());
    }

    @Test
    void booleanOtherThanZeroOrOneIsRejected() throws XdrException {
        assertThrows(XdrException.class, () -> decoder("00000002").readBoolean());
        assertThrows(XdrException.class, () -> decoder("ffffffff").readBoolean());
        assertThrows(XdrException.class, () -> decoder("00000002 00000000").readOptional(XdrDecoder::readInt));
        assertTrue(decoder("00000001").readBoolean());
    }

    @Test
    void nonzeroPaddingIsSkippedByDefaultAndRejectedWhenStrict() throws XdrException {
        String wire = "00000001 41000100";
        assertEquals("A", decoder(wire).readString(4));
        XdrDecoder strict = new XdrDecoder(ByteBuffer.wrap(HexFormat.of().parseHex(wire.replace(" ", ""))), true);
        XdrException e = assertThrows(XdrException.class, () -> strict.readString(4));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        XdrDecoder strictOk = new XdrDecoder(ByteBuffer.wrap(HexFormat.of().parseHex("0000000141000000")), true);
        assertEquals("A", strictOk.readString(4));
    }

    @Test
    void negativeDeclaredLimitsAreProgrammingErrors() {
        assertThrows(IllegalArgumentException.class, () -> decoder("00000000").readOpaque(-1));
        assertThrows(IllegalArgumentException.class, () -> decoder("00000000").readFixedOpaque(-1));
        assertThrows(IllegalArgumentException.class, () -> new XdrEncoder().writeString("a", -1));
    }
}
