package io.ripcord.rpc.auth.gss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The RPCSEC_GSS codecs (RFC 2203 section 5): what encodes decodes back byte for byte; random, cut or grown bytes
 * decode or fail with an {@link XdrException}, nothing else; lengths are checked before allocation.
 * Tries: jqwik's default (1,000), raised by {@code -Psoak}.
 */
class GssCodecPropertiesTest {

    @Provide
    Arbitrary<GssCredential> credentials() {
        return Combinators.combine(Arbitraries.of(GssProc.class), Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.of(GssService.class),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(GssCredential.MAX_HANDLE))
                .as(GssCredential::new);
    }

    @Provide
    Arbitrary<GssInitResult> initResults() {
        return Combinators.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(GssCredential.MAX_HANDLE),
                Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000))
                .as(GssInitResult::new);
    }

    @Property
    void everyCredentialDecodesToItself(@ForAll("credentials") GssCredential c) throws XdrException {
        byte[] body = c.toBytes();
        assertEquals(0, body.length % 4);
        assertTrue(body.length <= io.ripcord.rpc.AuthFlavor.MAX_BODY, "fits an opaque_auth body");
        assertEquals(c, GssCredential.decode(ByteBuffer.wrap(body)));
    }

    @Property
    void credentialCutShortOrGrownIsAnXdrException(@ForAll("credentials") GssCredential c,
            @ForAll @IntRange(min = 1, max = 8) int change) {
        byte[] body = c.toBytes();
        byte[] cut = java.util.Arrays.copyOf(body, body.length - Math.min(change, body.length));
        byte[] grown = java.util.Arrays.copyOf(body, body.length + 4 * change);
        assertThrows(XdrException.class, () -> GssCredential.decode(ByteBuffer.wrap(cut)));
        assertThrows(XdrException.class, () -> GssCredential.decode(ByteBuffer.wrap(grown)));
    }

    @Property
    void randomCredentialBodiesDecodeOrAreXdrExceptions(@ForAll @Size(max = 420) byte[] body) {
        try {
            GssCredential c = GssCredential.decode(ByteBuffer.wrap(body));
            assertArrayEquals(body, c.toBytes(), "a body that decodes is exactly its encoding");
        } catch (XdrException expected) {
            // The dispatch answers AUTH_BADCRED.
        }
    }

    @Example
    void credentialWireLayoutIsRfc2203() {
        GssCredential c = new GssCredential(GssProc.DATA, 0x8000_0001L, GssService.PRIVACY, new byte[] {1, 2, 3});
        assertEquals("00000001" + "00000000" + "80000001" + "00000003" + "00000003" + "01020300",
                HexFormat.of().formatHex(c.toBytes()));
        assertTrue(c.seqNumExhausted());
    }

    @Example
    void credentialOfVersionTwoIsRefused() {
        byte[] body = new GssCredential(GssProc.INIT, 0, GssService.NONE, new byte[0]).toBytes();
        body[3] = 2;
        XdrException e = assertThrows(XdrException.class, () -> GssCredential.decode(ByteBuffer.wrap(body)));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Property
    void everyInitResultDecodesToItself(@ForAll("initResults") GssInitResult r) throws XdrException {
        XdrEncoder out = new XdrEncoder();
        r.encode(out);
        XdrDecoder d = new XdrDecoder(out.toBuffer());
        assertEquals(r, GssInitResult.decode(d, 3000));
        assertEquals(0, d.remaining());
    }

    @Property
    void initResultTokenOverTheLimitIsRefused(@ForAll("initResults") GssInitResult r) {
        XdrEncoder out = new XdrEncoder();
        r.encode(out);
        int limit = r.gssToken().length - 1;
        if (limit >= 0) {
            assertThrows(XdrException.class, () -> GssInitResult.decode(new XdrDecoder(out.toBuffer()), limit));
        }
    }

    @Example
    void initResultPromisingAHugeTokenFailsBeforeAllocating() {
        ByteBuffer b = ByteBuffer.allocate(24).putInt(0).putInt(0).putInt(0).putInt(128).putInt(0x7fff_ffff).flip();
        XdrException e = assertThrows(XdrException.class,
                () -> GssInitResult.decode(new XdrDecoder(b), Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains("2147483647"), e.getMessage());
    }

    @Example
    void majorStatusNamesFollowTheCBindings() {
        assertEquals("GSS_S_COMPLETE", GssMajor.name(GssMajor.COMPLETE));
        assertEquals("GSS_S_CONTINUE_NEEDED", GssMajor.name(GssMajor.CONTINUE_NEEDED));
        assertEquals("GSS_S_DEFECTIVE_TOKEN", GssMajor.name(0x0009_0000));
        assertEquals("GSS_S_FAILURE", GssMajor.name(0x000d_0000));
        assertEquals("gss_major 0xd0001", GssMajor.name(0x000d_0001));
        assertEquals(GssMajor.CONTEXT_EXPIRED, GssMajor.of(new org.ietf.jgss.GSSException(
                org.ietf.jgss.GSSException.CONTEXT_EXPIRED)));
    }

    @Example
    void enumerationsRefuseValuesTheRfcDoesNotDefine() {
        assertThrows(XdrException.class, () -> GssProc.fromWire(4));
        assertThrows(XdrException.class, () -> GssService.fromWire(0));
        assertThrows(XdrException.class, () -> GssService.fromWire(4));
        assertEquals("krb5p", GssService.PRIVACY.krb5Name());
    }
}
