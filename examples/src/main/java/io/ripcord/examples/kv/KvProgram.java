package io.ripcord.examples.kv;

import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The key-value store of {@code kv.x} (program 0x20000B0B), versions 1 and 2 over one store. Keys are kept
 * as their bytes and ordered unsigned, byte by byte, so LIST and SCAN are in ascending byte order whatever
 * the encoding. The store is a concurrent skip list: actors run inline on the pollers, without locks.
 */
public final class KvProgram {

    public static final int PROGRAM = 0x20000B0B;
    public static final int V1 = 1;
    public static final int V2 = 2;
    public static final int KV_NULL = 0;
    public static final int KV_PUT = 1;
    public static final int KV_GET = 2;
    public static final int KV_DELETE = 3;
    public static final int KV_LIST = 4;
    public static final int KV_COUNT = 5;
    public static final int KV_SCAN = 6;
    public static final int MAX_KEY = 255;
    public static final int MAX_VALUE = 1048576;

    private final ConcurrentSkipListMap<byte[], byte[]> store = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    /** A key and its value, as {@code struct kv_pair}. */
    public static final class Pair {
        public final byte[] key;
        public final byte[] value;

        public Pair(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }

        static Pair read(XdrDecoder d) throws XdrException {
            byte[] k = d.readOpaque(MAX_KEY);
            byte[] v = d.readOpaque(MAX_VALUE);
            return new Pair(k, v);
        }

        void write(XdrEncoder e) {
            e.writeOpaque(key, MAX_KEY);
            e.writeOpaque(value, MAX_VALUE);
        }
    }

    /** Version 1 of the program. */
    public RpcProgram version1() {
        return common(RpcProgram.builder(PROGRAM, V1, "KV")).build();
    }

    /** Version 2: version 1 plus COUNT and SCAN. */
    public RpcProgram version2() {
        return common(RpcProgram.builder(PROGRAM, V2, "KV"))
                .actor(RpcActor.of(KV_COUNT, "KV_COUNT", RpcActor.VOID, (c, a) ->
                        c.reply((long) store.size(), XdrEncoder::writeUnsignedHyper)))
                .actor(RpcActor.of(KV_SCAN, "KV_SCAN", KvProgram::readKey, (c, prefix) ->
                        c.reply(scan(prefix), KvProgram::writePairs)))
                .build();
    }

    /** Keys stored now. */
    public int size() {
        return store.size();
    }

    private RpcProgram.Builder common(RpcProgram.Builder b) {
        return b.actor(RpcActor.of(KV_NULL, "KV_NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(KV_PUT, "KV_PUT", Pair::read, (c, p) ->
                        c.reply(store.put(p.key, p.value) == null, XdrEncoder::writeBoolean)))
                .actor(RpcActor.of(KV_GET, "KV_GET", KvProgram::readKey, (c, k) ->
                        c.reply(store.get(k), KvProgram::writeGetResult)))
                .actor(RpcActor.of(KV_DELETE, "KV_DELETE", KvProgram::readKey, (c, k) ->
                        c.reply(store.remove(k) != null, XdrEncoder::writeBoolean)))
                .actor(RpcActor.of(KV_LIST, "KV_LIST", RpcActor.VOID, (c, a) ->
                        c.reply(store.navigableKeySet(), KvProgram::writeKeys)));
    }

    private Map<byte[], byte[]> scan(byte[] prefix) {
        ConcurrentNavigableMap<byte[], byte[]> tail = store.tailMap(prefix, true);
        java.util.LinkedHashMap<byte[], byte[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<byte[], byte[]> e : tail.entrySet()) {
            byte[] k = e.getKey();
            if (k.length < prefix.length || Arrays.compare(k, 0, prefix.length, prefix, 0, prefix.length) != 0) {
                break;
            }
            out.put(k, e.getValue());
        }
        return out;
    }

    static byte[] readKey(XdrDecoder d) throws XdrException {
        return d.readOpaque(MAX_KEY);
    }

    /** {@code union kv_get_result switch (bool found) { case TRUE: kv_value value; case FALSE: void; }} */
    static void writeGetResult(XdrEncoder e, byte[] value) {
        e.writeBoolean(value != null);
        if (value != null) {
            e.writeOpaque(value, MAX_VALUE);
        }
    }

    /** {@code kv_keys}: a {@code kv_node*} list, each node present-flag then key. */
    static void writeKeys(XdrEncoder e, Iterable<byte[]> keys) {
        for (byte[] k : keys) {
            e.writeBoolean(true);
            e.writeOpaque(k, MAX_KEY);
        }
        e.writeBoolean(false);
    }

    /** {@code kv_pairs}: a counted array of {@code kv_pair}. */
    static void writePairs(XdrEncoder e, Map<byte[], byte[]> pairs) {
        e.writeInt(pairs.size());
        for (Map.Entry<byte[], byte[]> p : pairs.entrySet()) {
            new Pair(p.getKey(), p.getValue()).write(e);
        }
    }

    /** Client side: decodes a {@code kv_get_result}; {@code null} when not found. */
    public static byte[] readGetResult(XdrDecoder d) throws XdrException {
        return d.readBoolean() ? d.readOpaque(MAX_VALUE) : null;
    }

    /** Client side: decodes {@code kv_keys}. */
    public static List<byte[]> readKeys(XdrDecoder d) throws XdrException {
        List<byte[]> out = new java.util.ArrayList<>();
        while (d.readBoolean()) {
            out.add(d.readOpaque(MAX_KEY));
        }
        return out;
    }

    /** Client side: decodes {@code kv_pairs}. */
    public static List<Pair> readPairs(XdrDecoder d) throws XdrException {
        return d.readArray(Integer.MAX_VALUE, Pair::read);
    }

    /** Client side: encodes a {@code kv_pair} argument. */
    public static void writePair(XdrEncoder e, Pair p) {
        p.write(e);
    }

    /** Client side: encodes a {@code kv_key} argument. */
    public static void writeKey(XdrEncoder e, byte[] key) {
        e.writeOpaque(key, MAX_KEY);
    }

}
