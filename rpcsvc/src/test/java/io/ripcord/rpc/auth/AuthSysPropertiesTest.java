package io.ripcord.rpc.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.util.Arrays;
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
 * Fuzzes AUTH_SYS decoding (RFC 5531 appendix A): what encodes decodes back; anything else, random, cut
 * short or mutated, is either a credential or an {@link AuthException} AUTH_BADCRED, never another exception.
 * Tries: jqwik's default (1,000), raised by {@code -Psoak}.
 */
class AuthSysPropertiesTest {

    @Provide
    Arbitrary<AuthSysCredential> credentials() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.strings().ascii().ofMaxLength(AuthSysCredential.MAX_MACHINE_NAME),
                Arbitraries.strings().ofMaxLength(AuthSysCredential.MAX_MACHINE_NAME / 4)); // <= 4 UTF-8 bytes each
        Arbitrary<int[]> gids = Arbitraries.integers().array(int[].class).ofMaxSize(AuthSysCredential.MAX_GIDS);
        return Combinators.combine(Arbitraries.integers(), names, Arbitraries.integers(), Arbitraries.integers(), gids)
                .as(AuthSysCredential::new);
    }

    @Example
    void aMaximalMachineNameOfMalformedUtf8IsRefusedNotMadeUnencodable() {
        // 255 bytes on the wire; 0xFF is never UTF-8 and decodes to U+FFFD, three bytes: 257 bytes again.
        byte[] name = new byte[AuthSysCredential.MAX_MACHINE_NAME];
        Arrays.fill(name, (byte) 'a');
        name[0] = (byte) 0xFF;
        ByteBuffer body = ByteBuffer.allocate(4 + 4 + 256 + 12).putInt(1).putInt(name.length).put(name).put((byte) 0)
                .putInt(0).putInt(0).putInt(0).flip();
        AuthException e = assertThrows(AuthException.class, () -> AuthSysCredential.decode(body));
        assertEquals(AuthStat.AUTH_BADCRED, e.authStat());
    }

    @Example
    void aMachineNameOverTwoHundredFiftyFiveBytesIsRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new AuthSysCredential(1, "\u00e9".repeat(128), 0, 0, new int[0]));
    }

    @Property
    void everyCredentialDecodesToItself(@ForAll("credentials") AuthSysCredential c) throws AuthException {
        assertEquals(c, AuthSysCredential.decode(encode(c)));
    }

    @Property
    void randomBodiesDecodeOrAreBadCredentials(@ForAll @Size(max = 420) byte[] body) {
        decodeOrBadCred(ByteBuffer.wrap(body));
    }

    @Property
    void truncatedCredentialsAreBadCredentials(@ForAll("credentials") AuthSysCredential c,
                                               @ForAll @IntRange(min = 1, max = 400) int cut) {
        ByteBuffer full = encode(c);
        int keep = Math.max(0, full.remaining() - cut);
        try {
            AuthSysCredential.decode(full.limit(keep));
            throw new AssertionError("a credential cut to " + keep + " bytes decoded");
        } catch (AuthException e) {
            assertEquals(AuthStat.AUTH_BADCRED, e.authStat());
        }
    }

    @Property
    void mutatedCredentialsDecodeOrAreBadCredentials(@ForAll("credentials") AuthSysCredential c,
                                                     @ForAll @IntRange(min = 0, max = 1000) int at,
                                                     @ForAll byte value) {
        ByteBuffer b = encode(c);
        b.put(at % b.remaining(), value);
        decodeOrBadCred(b);
    }

    private static void decodeOrBadCred(ByteBuffer body) {
        try {
            AuthSysCredential c = AuthSysCredential.decode(body);
            // Whatever decoded must encode within the limits the decoder enforced.
            encode(c);
        } catch (AuthException e) {
            assertEquals(AuthStat.AUTH_BADCRED, e.authStat());
        }
    }

    private static ByteBuffer encode(AuthSysCredential c) {
        XdrEncoder e = new XdrEncoder();
        c.encode(e);
        ByteBuffer b = e.toBuffer();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return ByteBuffer.wrap(copy);
    }
}
