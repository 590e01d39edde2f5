package io.ripcord.examples.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.examples.kv.xdr.KvConstants;
import io.ripcord.examples.kv.xdr.KvGetResult;
import io.ripcord.examples.kv.xdr.KvNode;
import io.ripcord.examples.kv.xdr.KvPair;
import io.ripcord.examples.kv.xdr.KvV1;
import io.ripcord.examples.kv.xdr.KvV2;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.client.GarbageArgsException;
import io.ripcord.rpc.client.ProcedureUnavailableException;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcUdpClient;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KV server from kv.x's generated skeletons, called through kv.x's generated clients. */
class KvServerTest {

    private KvServer server;
    private RpcClient client;
    private KvV1.Client v1;
    private KvV2.Client v2;

    @BeforeEach
    void setUp() throws Exception {
        server = KvServer.start("127.0.0.1", 0, 1, false);
        client = RpcClient.connect(server.pool(), server.tcpAddress()).get(5, TimeUnit.SECONDS);
        v1 = new KvV1.Client(client);
        v2 = new KvV2.Client(client);
    }

    @AfterEach
    void tearDown() {
        client.close();
        server.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(KvGetResult r) {
        return r instanceof KvGetResult.True found ? found.value() : null;
    }

    private static List<String> keys(KvNode list) {
        List<String> out = new ArrayList<>();
        for (KvNode n = list; n != null; n = n.next()) {
            out.add(new String(n.key(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void putReportsNewKeysAndReplacementsAndBothVersionsShareOneStore() throws Exception {
        assertTrue(v1.kvPut(new KvPair(b("alpha"), b("1"))));
        assertFalse(v2.kvPut(new KvPair(b("alpha"), b("2"))), "replacing a value returns FALSE");
        assertArrayEquals(b("2"), value(v1.kvGet(b("alpha"))));
        assertInstanceOf(KvGetResult.False.class, v2.kvGet(b("missing")));
        assertEquals(1, server.store().size());
    }

    @Test
    void deleteSaysWhetherTheKeyExisted() throws Exception {
        v1.kvPut(new KvPair(b("k"), b("v")));
        assertTrue(v1.kvDelete(b("k")));
        assertFalse(v1.kvDelete(b("k")));
    }

    @Test
    void listIsInAscendingByteOrderAndCountAndScanAreVersionTwoOnly() throws Exception {
        for (String k : List.of("b", "a/2", "\u00e9", "a/1", "c", "a")) {
            v2.kvPut(new KvPair(b(k), b("v-" + k)));
        }
        assertEquals(List.of("a", "a/1", "a/2", "b", "c", "\u00e9"), keys(v1.kvList()));
        assertEquals(6, v2.kvCount());
        List<KvPair> scan = v2.kvScan(b("a/"));
        assertEquals(List.of("a/1", "a/2"), scan.stream().map(p -> new String(p.key(), StandardCharsets.UTF_8)).toList());
        assertArrayEquals(b("v-a/2"), scan.get(1).value());
        assertThrows(ProcedureUnavailableException.class, () ->
                client.callSync(KvV1.PROGRAM, KvV1.VERSION, KvV2.KV_COUNT, RpcActor.VOID));
    }

    @Test
    void anEmptyStoreListsNoKeys() throws Exception {
        assertEquals(null, v1.kvList(), "optional-data absent: the empty list");
        assertEquals(0, v2.kvCount());
    }

    @Test
    void keysAreBytesWhateverTheirEncoding() throws Exception {
        byte[] notUtf8 = {(byte) 0xff, 0, (byte) 0xfe};
        assertTrue(v1.kvPut(new KvPair(notUtf8, b("raw"))));
        assertArrayEquals(b("raw"), value(v2.kvGet(notUtf8)));
    }

    @Test
    void aOneMebibyteValueRoundTrips() throws Exception {
        byte[] big = new byte[KvConstants.KV_MAX_VALUE];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertTrue(v2.kvPut(new KvPair(b("big"), big)));
        assertArrayEquals(big, value(v2.kvGet(b("big"))));
    }

    @Test
    void aKeyOverTheMaximumIsRefusedByTheClientAndIsGarbageArgsAtTheServer() throws Exception {
        byte[] longKey = new byte[KvConstants.KV_MAX_KEY + 1];
        assertThrows(IllegalArgumentException.class, () -> v1.kvGet(longKey), "the generated client checks first");
        assertThrows(GarbageArgsException.class, () ->
                client.callSync(KvV1.PROGRAM, KvV1.VERSION, KvV1.KV_GET, (XdrEncoder e, byte[] k) ->
                        e.writeOpaque(k, 1024), longKey, KvGetResult::decode));
    }

    @Test
    void theSameClientsWorkOverUdp() throws Exception {
        try (RpcUdpClient udp = RpcUdpClient.open(server.pool(), server.udpAddress())) {
            KvV2.Client overUdp = new KvV2.Client(udp);
            assertTrue(overUdp.kvPut(new KvPair(b("u"), b("dp"))));
            assertArrayEquals(b("dp"), value(v1.kvGet(b("u"))), "one store behind TCP and UDP");
            assertEquals(List.of("u"), keys(overUdp.kvList()));
        }
    }
}
