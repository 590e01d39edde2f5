package io.ripcord.rpc.auth.gss;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.CallHeader;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.SecurityPolicy;
import io.ripcord.rpc.auth.AuthException;
import io.ripcord.rpc.auth.Authenticator;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * kv.x's program 0x20000B0B version 1 served in Java (NULL, KV_PUT, KV_GET, as the C peers are generated from),
 * plus two procedures of the tests' own: WHOAMI answers the caller as the actor sees it, HANG_UP closes the
 * connection. It records every caller its actors saw, and counts the RPCSEC_GSS control calls that reached the
 * service's authenticator.
 */
final class GssKv {

    static final int PROG = 0x20000B0B;
    static final int VERS = 1;
    static final int PUT = 1;
    static final int GET = 2;
    static final int WHOAMI = 100;
    static final int HANG_UP = 101;
    private static final int MAX_KEY = 255;
    private static final int MAX_VALUE = 1 << 20;

    final Map<String, byte[]> store = new ConcurrentHashMap<>();
    final List<Object> callers = new CopyOnWriteArrayList<>();
    /** RPCSEC_GSS credentials seen by the authenticator, by their proc. */
    final Map<GssProc, AtomicInteger> controls = new EnumMap<>(GssProc.class);

    GssKv() {
        for (GssProc p : GssProc.values()) {
            controls.put(p, new AtomicInteger());
        }
    }

    /** A service with {@code authenticator} for RPCSEC_GSS (counted) and the program under {@code policy}. */
    RpcService service(Authenticator authenticator, SecurityPolicy policy) {
        RpcService service = RpcService.create(RpcServiceOptions.builder()
                .authenticator(AuthFlavor.RPCSEC_GSS, counting(authenticator)).build());
        service.register(program(policy));
        return service;
    }

    int count(GssProc proc) {
        return controls.get(proc).get();
    }

    RpcProgram program(SecurityPolicy policy) {
        return RpcProgram.builder(PROG, VERS, "KV")
                .security(policy)
                .actor(RpcActor.of(0, "KV_NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(PUT, "KV_PUT", GssKv::readPair, (c, pair) -> {
                    callers.add(c.principal());
                    c.reply(store.put(key(pair[0]), pair[1]) == null, XdrEncoder::writeBoolean);
                }))
                .actor(RpcActor.of(GET, "KV_GET", d -> d.readOpaque(MAX_KEY), (c, k) -> {
                    callers.add(c.principal());
                    c.reply(store.get(key(k)), GssKv::writeGetResult);
                }))
                .actor(RpcActor.of(WHOAMI, "WHOAMI", RpcActor.VOID, (c, a) ->
                        c.reply(String.valueOf(c.principal()), (e, s) -> e.writeString(s, 1024))))
                .actor(RpcActor.of(HANG_UP, "HANG_UP", RpcActor.VOID, (c, a) -> c.transport().close()))
                .build();
    }

    private Authenticator counting(Authenticator gss) {
        return new Authenticator() {
            @Override
            public Object authenticate(ByteBuffer body) throws AuthException {
                return gss.authenticate(body);
            }

            @Override
            public Object authenticate(CallHeader header, RpcCall call) throws AuthException {
                ByteBuffer body = header.credentialBody();
                if (body.remaining() >= 8) {
                    try {
                        controls.get(GssProc.fromWire(body.getInt(body.position() + 4))).incrementAndGet();
                    } catch (XdrException unknown) {
                        // Not a proc at all: the authenticator answers it.
                    }
                }
                return gss.authenticate(header, call);
            }
        };
    }

    private static String key(byte[] k) {
        return new String(k, StandardCharsets.UTF_8);
    }

    static byte[][] readPair(XdrDecoder d) throws XdrException {
        return new byte[][] {d.readOpaque(MAX_KEY), d.readOpaque(MAX_VALUE)};
    }

    static void writePair(XdrEncoder e, byte[][] pair) {
        e.writeOpaque(pair[0], MAX_KEY);
        e.writeOpaque(pair[1], MAX_VALUE);
    }

    static void writeGetResult(XdrEncoder e, byte[] value) {
        e.writeBoolean(value != null);
        if (value != null) {
            e.writeOpaque(value, MAX_VALUE);
        }
    }

    static byte[] readGetResult(XdrDecoder d) throws XdrException {
        return d.readBoolean() ? d.readOpaque(MAX_VALUE) : null;
    }

    static void writeKey(XdrEncoder e, String key) {
        e.writeOpaque(key.getBytes(StandardCharsets.UTF_8), MAX_KEY);
    }
}
