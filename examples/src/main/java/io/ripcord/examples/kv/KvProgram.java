package io.ripcord.examples.kv;

import io.ripcord.examples.kv.xdr.KvGetResult;
import io.ripcord.examples.kv.xdr.KvNode;
import io.ripcord.examples.kv.xdr.KvPair;
import io.ripcord.examples.kv.xdr.KvV1;
import io.ripcord.examples.kv.xdr.KvV2;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.SecurityPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The key-value store of {@code kv.x} (program 0x20000B0B), versions 1 and 2 over one store, on the skeletons
 * xdrgen generates from {@code src/main/xdr/kv.x} ({@link KvV1}, {@link KvV2}). Keys are kept as their bytes and
 * ordered unsigned, byte by byte, so LIST and SCAN are in ascending byte order whatever the encoding. The store
 * is a concurrent skip list: the procedures run inline on the pollers, without locks.
 */
public final class KvProgram implements KvV1.Server, KvV2.Server {

    /** The name GF-DUMP lists both versions under. */
    static final String NAME = "KV";

    private final ConcurrentSkipListMap<byte[], byte[]> store = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

    /** {@return version 1 of the program} */
    public RpcProgram version1() {
        return version1(SecurityPolicy.ANY);
    }

    /** {@return version 1, whose calls must meet {@code security} (e.g. RPC-with-TLS required)} */
    public RpcProgram version1(SecurityPolicy security) {
        return KvV1.builder(NAME, this).security(security).build();
    }

    /** {@return version 2: version 1 plus COUNT and SCAN} */
    public RpcProgram version2() {
        return version2(SecurityPolicy.ANY);
    }

    /** {@return version 2, whose calls must meet {@code security}} */
    public RpcProgram version2(SecurityPolicy security) {
        return KvV2.builder(NAME, this).security(security).build();
    }

    /** {@return the keys stored now} */
    public int size() {
        return store.size();
    }

    @Override
    public boolean kvPut(RpcCall call, KvPair pair) {
        return store.put(pair.key(), pair.value()) == null;
    }

    @Override
    public KvGetResult kvGet(RpcCall call, byte[] key) {
        byte[] value = store.get(key);
        return value == null ? new KvGetResult.False() : new KvGetResult.True(value);
    }

    @Override
    public boolean kvDelete(RpcCall call, byte[] key) {
        return store.remove(key) != null;
    }

    /** Every key, as the linked list kv.x declares, built from the last key back. */
    @Override
    public KvNode kvList(RpcCall call) {
        KvNode next = null;
        for (Iterator<byte[]> it = store.descendingKeySet().iterator(); it.hasNext(); ) {
            next = new KvNode(it.next(), next);
        }
        return next;
    }

    @Override
    public long kvCount(RpcCall call) {
        return store.size();
    }

    @Override
    public List<KvPair> kvScan(RpcCall call, byte[] prefix) {
        List<KvPair> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : store.tailMap(prefix, true).entrySet()) {
            byte[] k = e.getKey();
            if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                break;
            }
            out.add(new KvPair(k, e.getValue()));
        }
        return out;
    }
}
