package io.ripcord.rpc.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.ReplyHeader;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.Wire;
import io.ripcord.rpc.client.AuthErrorException;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.CallSigner;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.client.RpcException;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.transport.Listener;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The extension points a security flavor (RPCSEC_GSS, RFC 2203) needs, exercised by a toy flavor: its credential
 * body is a sequence number; its verifier is a CRC-32 over the call's header from the xid through the credential
 * (as RPCSEC_GSS's is a MIC over them); it answers procedure 0 with sequence 0 itself (as RPCSEC_GSS answers
 * context creation); it drops a sequence number seen before without a reply (RFC 2203 section 5.3.3.1); it XORs
 * arguments and results with its key (as krb5p seals them); and its reply verifier is the CRC-32 of the sequence
 * number. Over real loopback connections, with our client's {@link CallSigner} on the other side.
 */
class SecurityFlavorTest {

    static final int FLAVOR = 0x7E57;
    static final int PROG = 0x20000E0E;
    private static final byte KEY = 0x5A;

    private EventPool pool;
    private Listener listener;
    private RpcService service;
    private final List<Object> principals = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("flavor").build()).start();
        service = RpcService.create(RpcServiceOptions.builder().outstandingLimit(1)
                .authenticator(FLAVOR, new ToyFlavor()).build());
        service.register(RpcProgram.builder(PROG, 1, "ECHO")
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(1, "UPPER", d -> d.readString(100), (c, s) -> {
                    principals.add(c.principal());
                    c.reply(s.toUpperCase(), (e, r) -> e.writeString(r, 100));
                }))
                .build());
        listener = service.listen(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws Exception {
        listener.close();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    static int crc(ByteBuffer bytes) {
        CRC32 c = new CRC32();
        c.update(bytes.duplicate());
        return (int) c.getValue();
    }

    static int crc(int seq) {
        return crc(ByteBuffer.allocate(4).putInt(seq).flip());
    }

    /** Replaces what {@code out} holds from {@code from} (an offset in the message) with its sealed form. */
    static void seal(XdrEncoder out, int from) {
        ByteBuffer message = out.toBuffer();
        ByteBuffer sealed = xor(message.slice(message.position() + from, out.size() - from));
        out.truncate(from);
        out.writeFixedOpaque(sealed);
    }

    static ByteBuffer xor(ByteBuffer in) {
        ByteBuffer out = ByteBuffer.allocate(in.remaining());
        while (in.hasRemaining()) {
            out.put((byte) (in.get() ^ KEY));
        }
        return out.flip();
    }

    /** The server side of the toy flavor. */
    static final class ToyFlavor implements Authenticator {
        private final Set<Integer> seen = ConcurrentHashMap.newKeySet();

        @Override
        public Object authenticate(ByteBuffer body) {
            throw new AssertionError("the toy flavor needs the whole call");
        }

        @Override
        public Object authenticate(CallHeader header, RpcCall call) throws AuthException {
            int seq = header.credentialBody().getInt(0);
            ByteBuffer verifier = header.verifierBody();
            if (header.defect() != null || verifier.remaining() != 4
                    || verifier.getInt(0) != crc(header.bytesThroughCredential())) {
                throw new AuthException(AuthStat.AUTH_BADVERF, "the checksum over the header does not match");
            }
            if (header.procedure() == 0 && seq == 0) {
                call.reply("context ready", (e, s) -> e.writeString(s, 100)); // a control call, answered here
                return null;
            }
            if (seq < 0) { // answered from another thread: -1 replies, -2 denies
                new Thread(() -> {
                    if (seq == -1) {
                        call.reply("answered later", (e, s) -> e.writeString(s, 100));
                    } else {
                        call.replyAuthError(AuthStat.AUTH_TOOWEAK);
                    }
                }).start();
                return Authenticator.DEFERRED;
            }
            if (!seen.add(seq)) {
                call.drop(); // a replay: no reply at all
                return null;
            }
            call.protect(new CallProtection() {
                @Override
                public ByteBuffer unwrapArguments(RpcCall c, ByteBuffer arguments) {
                    return xor(arguments);
                }

                @Override
                public void writeVerifier(RpcCall c, XdrEncoder out) {
                    out.writeInt(FLAVOR);
                    out.writeOpaque(ByteBuffer.allocate(4).putInt(crc(seq)).flip(), 4);
                }

                @Override
                public void wrapResults(RpcCall c, XdrEncoder out, int resultsStart) {
                    seal(out, resultsStart);
                }
            });
            return "toy:" + seq;
        }
    }

    /** The client side: each credential sends the sequence number it was made with. */
    static class ToySigner implements CallSigner {
        private final int seq;
        boolean forgeVerifier;

        ToySigner(int seq) {
            this.seq = seq;
        }

        @Override
        public Object writeAuth(XdrEncoder out, int headerStart, int xid) {
            out.writeInt(FLAVOR);
            out.writeOpaque(ByteBuffer.allocate(4).putInt(seq).flip(), 4);
            ByteBuffer message = out.toBuffer();
            int sum = crc(message.slice(message.position() + headerStart, out.size() - headerStart));
            out.writeInt(FLAVOR);
            out.writeOpaque(ByteBuffer.allocate(4).putInt(forgeVerifier ? ~sum : sum).flip(), 4);
            return seq;
        }

        @Override
        public void wrapArguments(XdrEncoder out, int argumentsStart, Object call) {
            seal(out, argumentsStart);
        }

        @Override
        public ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) throws RpcException {
            ByteBuffer v = reply.verifierBody();
            if (reply.verifierFlavor() != FLAVOR || v.remaining() != 4 || v.getInt(0) != crc((Integer) call)) {
                throw new RpcException("the reply's verifier does not check out");
            }
            return xor(results);
        }
    }

    private RpcClient client() throws Exception {
        return RpcClient.connect(pool, listener.address(), RpcClientOptions.builder()
                .callTimeout(Duration.ofSeconds(10)).build()).get(10, TimeUnit.SECONDS);
    }

    private static CallOptions signed(ToySigner signer) {
        return CallOptions.builder().credential(Credential.signedBy(FLAVOR, signer)).build();
    }

    private static String upper(RpcClient client, ToySigner signer, String s) throws Exception {
        return client.callSync(PROG, 1, 1, (e, a) -> e.writeString(a, 100), s, d -> d.readString(100),
                signed(signer));
    }

    @Test
    void argumentsAndResultsAreSealedAndTheReplyVerifierChecked() throws Exception {
        try (RpcClient client = client()) {
            assertEquals("HELLO", upper(client, new ToySigner(7), "hello"));
            assertEquals("WORLD", upper(client, new ToySigner(8), "world"));
            assertEquals(List.of("toy:7", "toy:8"), principals);
        }
    }

    @Test
    void theFlavorAnswersItsOwnControlCall() throws Exception {
        try (RpcClient client = client()) {
            String answer = client.callSync(PROG, 1, 0, (e, a) -> { }, null, d -> d.readString(100),
                    CallOptions.builder().credential(Credential.signedBy(FLAVOR, new ToySigner(0) {
                        @Override
                        public ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) {
                            return results; // the control reply carries the AUTH_NONE verifier, in the clear
                        }
                    })).build());
            assertEquals("context ready", answer);
            assertTrue(principals.isEmpty(), "no actor ran");
        }
    }

    @Test
    void aFlavorAnswersOrDeniesFromAnotherThread() throws Exception {
        try (RpcClient client = client()) {
            ToySigner later = new ToySigner(-1) {
                @Override
                public ByteBuffer acceptReply(ReplyHeader reply, ByteBuffer results, Object call) {
                    return results; // answered without the flavor's protection
                }
            };
            assertEquals("answered later", client.callSync(PROG, 1, 1, (e, a) -> e.writeString(a, 100), "x",
                    d -> d.readString(100), signed(later)));
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.call(PROG, 1, 1,
                    (en, a) -> en.writeString(a, 100), "x", d -> d.readString(100), signed(new ToySigner(-2)))
                    .get(10, TimeUnit.SECONDS));
            assertEquals(AuthStat.AUTH_TOOWEAK, assertInstanceOf(AuthErrorException.class, e.getCause()).authStat());
            assertTrue(principals.isEmpty(), "no actor ran");
        }
    }

    @Test
    void aDeniedCallIsSentOnceMoreUnderANewXidAfterItsSignerRenewed() throws Exception {
        List<Integer> xids = new CopyOnWriteArrayList<>();
        ToySigner renewing = new ToySigner(31) {
            @Override
            public Object writeAuth(XdrEncoder out, int headerStart, int xid) {
                xids.add(xid);
                return super.writeAuth(out, headerStart, xid);
            }

            @Override
            public CompletionStage<?> renewAfter(int authStat, Object call) {
                forgeVerifier = false; // what a new RPCSEC_GSS context is to the toy: a verifier that checks
                return CompletableFuture.completedFuture(null);
            }
        };
        renewing.forgeVerifier = true;
        try (RpcClient client = client()) {
            assertEquals("ONCE", upper(client, renewing, "once"));
            assertEquals(2, xids.size(), "denied, renewed, sent again");
            assertNotEquals(xids.get(0), xids.get(1), "under a new xid");

            ToySigner stubborn = new ToySigner(32) {
                @Override
                public CompletionStage<?> renewAfter(int authStat, Object call) {
                    return CompletableFuture.completedFuture(null); // renews nothing: denied again, and that is final
                }
            };
            stubborn.forgeVerifier = true;
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.call(PROG, 1, 1,
                    (en, a) -> en.writeString(a, 100), "x", d -> d.readString(100), signed(stubborn))
                    .get(10, TimeUnit.SECONDS));
            assertEquals(AuthStat.AUTH_BADVERF, assertInstanceOf(AuthErrorException.class, e.getCause()).authStat());
        }
        assertEquals(List.of("toy:31"), principals);
    }

    @Test
    void aForgedHeaderChecksumIsDeniedBadVerf() throws Exception {
        try (RpcClient client = client()) {
            ToySigner forger = new ToySigner(9);
            forger.forgeVerifier = true;
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.call(PROG, 1, 1,
                    (en, a) -> en.writeString(a, 100), "x", d -> d.readString(100), signed(forger))
                    .get(10, TimeUnit.SECONDS));
            assertEquals(AuthStat.AUTH_BADVERF, assertInstanceOf(AuthErrorException.class, e.getCause()).authStat());
        }
    }

    @Test
    void aReplayedCallGetsNoReplyAndFreesItsPlaceUnderTheOutstandingLimit() throws Exception {
        byte[] call = signedCall(11, 21);
        try (Socket s = new Socket()) {
            s.connect(listener.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(Wire.record(call));
            InputStream in = s.getInputStream();
            assertEquals(11, ByteBuffer.wrap(Wire.readRecord(in)).getInt(0));
            // The same sequence number again, then a fresh one: with an outstanding limit of 1, the fresh call is
            // read (and answered) only if the dropped one counted as ended.
            s.getOutputStream().write(Wire.concat(Wire.record(signedCall(12, 21)), Wire.record(signedCall(13, 22))));
            // Replies come in order: had the replay been answered, its reply would be read first.
            assertEquals(13, ByteBuffer.wrap(Wire.readRecord(in)).getInt(0), "the replay got no reply");
        }
    }

    /** A call to UPPER("a") signed with {@code seq}, by hand, the way {@link ToySigner} makes it. */
    private static byte[] signedCall(int xid, int seq) throws XdrException {
        XdrEncoder e = new XdrEncoder();
        e.writeInt(xid);
        e.writeInt(0);
        e.writeInt(2);
        e.writeInt(PROG);
        e.writeInt(1);
        e.writeInt(1);
        new ToySigner(seq).writeAuth(e, 0, xid);
        int args = e.size();
        e.writeString("a", 100);
        new ToySigner(seq).wrapArguments(e, args, null);
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        assertEquals(seq, new XdrDecoder(ByteBuffer.wrap(out, 32, 4)).readInt(), "the credential's body");
        return out;
    }

    @Test
    void theHeaderBytesAFlavorSeesAreTheCallsFromItsXidThroughItsCredential() throws Exception {
        byte[] call = signedCall(5, 30);
        CallHeader h = CallHeader.parse(ByteBuffer.wrap(call));
        byte[] through = new byte[h.bytesThroughCredential().remaining()];
        h.bytesThroughCredential().get(through);
        assertArrayEquals(java.util.Arrays.copyOf(call, 6 * 4 + 8 + 4), through);
        assertEquals(FLAVOR, h.credentialFlavor());
        assertEquals(FLAVOR, h.verifierFlavor());
        assertEquals(null, h.defect());
    }
}
