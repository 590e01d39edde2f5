package io.ripcord.examples.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.client.ProcedureUnavailableException;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KvServerTest {

    private KvServer server;
    private RpcClient client;

    @BeforeEach
    void setUp() throws Exception {
        server = KvServer.start("127.0.0.1", 0, 1, false);
        client = RpcClient.connect(server.pool(), server.tcpAddress()).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private boolean put(int v, String k, byte[] value) throws Exception {
        return client.callSync(KvProgram.PROGRAM, v, KvProgram.KV_PUT, KvProgram::writePair,
                new KvProgram.Pair(b(k), value), d -> d.readBoolean());
    }

    private byte[] get(int v, String k) throws Exception {
        return client.callSync(KvProgram.PROGRAM, v, KvProgram.KV_GET, KvProgram::writeKey, b(k),
                KvProgram::readGetResult);
    }

    @Test
    void putReportsNewKeysAndReplacementsAndBothVersionsShareOneStore() throws Exception {
        assertTrue(put(1, "alpha", b("1")));
        assertFalse(put(2, "alpha", b("2")), "replacing a value returns FALSE");
        assertArrayEquals(b("2"), get(1, "alpha"));
        assertNull(get(2, "missing"));
    }

    @Test
    void deleteSaysWhetherTheKeyExisted() throws Exception {
        put(1, "k", b("v"));
        boolean first = client.callSync(KvProgram.PROGRAM, 1, KvProgram.KV_DELETE, KvProgram::writeKey, b("k"),
                d -> d.readBoolean());
        boolean second = client.callSync(KvProgram.PROGRAM, 1, KvProgram.KV_DELETE, KvProgram::writeKey, b("k"),
                d -> d.readBoolean());
        assertTrue(first);
        assertFalse(second);
    }

    @Test
    void listIsInAscendingByteOrderAndCountAndScanAreVersionTwoOnly() throws Exception {
        for (String k : List.of("b", "a/2", "\u00e9", "a/1", "c", "a")) {
            put(2, k, b("v-" + k));
        }
        List<String> keys = client.callSync(KvProgram.PROGRAM, 1, KvProgram.KV_LIST, KvProgram::readKeys)
                .stream().map(k -> new String(k, StandardCharsets.UTF_8)).collect(Collectors.toList());
        assertEquals(List.of("a", "a/1", "a/2", "b", "c", "\u00e9"), keys);
        long count = client.callSync(KvProgram.PROGRAM, 2, KvProgram.KV_COUNT, d -> d.readUnsignedHyper());
        assertEquals(6, count);
        List<KvProgram.Pair> scan = client.callSync(KvProgram.PROGRAM, 2, KvProgram.KV_SCAN, KvProgram::writeKey,
                b("a/"), KvProgram::readPairs);
        assertEquals(List.of("a/1", "a/2"), scan.stream().map(p -> new String(p.key, StandardCharsets.UTF_8))
                .collect(Collectors.toList()));
        assertArrayEquals(b("v-a/2"), scan.get(1).value);
        assertThrows(ProcedureUnavailableException.class, () ->
                client.callSync(KvProgram.PROGRAM, 1, KvProgram.KV_COUNT, d -> d.readUnsignedHyper()));
    }

    @Test
    void aOneMebibyteValueRoundTrips() throws Exception {
        byte[] big = new byte[KvProgram.MAX_VALUE];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertTrue(put(2, "big", big));
        assertArrayEquals(big, get(2, "big"));
    }

    @Test
    void aKeyOverTheMaximumIsGarbageArgs() throws Exception {
        byte[] longKey = new byte[256];
        assertThrows(io.ripcord.rpc.client.GarbageArgsException.class, () ->
                client.callSync(KvProgram.PROGRAM, 1, KvProgram.KV_GET, (XdrEncoder e, byte[] k) ->
                        e.writeOpaque(k, 1024), longKey, KvProgram::readGetResult));
    }
}
