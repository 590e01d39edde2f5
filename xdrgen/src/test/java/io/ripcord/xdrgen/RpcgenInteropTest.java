package io.ripcord.xdrgen;

import io.ripcord.testsupport.External;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcUdpClient;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.Listener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.RecordComponent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kv.x served and called across languages: a server built from the generated skeleton answers a C client that
 * rpcgen made from the same file, and the generated Java client calls a C server that rpcgen made, over TCP and
 * over UDP, without rpcbind (the C mains bind and connect to explicit loopback ports).
 */
@Tag("external")
class RpcgenInteropTest {

    static final Path KV_X = Path.of("../examples/src/main/xdr/kv.x").toAbsolutePath().normalize();

    /** What both clients print for the same calls against either server. */
    private static final List<String> TRANSCRIPT = List.of(
            "null -> ok", "put a=1 -> 1", "put b=22 -> 1", "put a=333 -> 0", "get a -> 333", "get zz -> none",
            "delete b -> 1", "delete b -> 0", "list -> a", "put ab=x -> 1", "count -> 2", "scan a -> a=333 ab=x",
            "list -> a ab");

    @TempDir
    static Path dir;
    static Generated kv;
    static Path cServer;
    static Path cClient;
    static EventPool pool;

    @BeforeAll
    static void build() throws Exception {
        External.requireExecutable("rpcgen", "rpcsvc-proto");
        External.requireExecutable("gcc", "gcc");
        External.require(Files.isRegularFile(Path.of("/usr/include/tirpc/rpc/rpc.h")), "libtirpc's headers",
                "apt-get install libtirpc-dev");
        kv = Generated.compile("interop.kv", KV_X);
        for (String[] output : new String[][] {{"-h", "kv.h"}, {"-c", "kv_xdr.c"}, {"-l", "kv_clnt.c"}, {"-m", "kv_svc.c"}}) {
            run(KV_X.getParent(), "rpcgen", output[0], "-o", dir.resolve(output[1]).toString(), "kv.x");
        }
        Files.writeString(dir.resolve("server.c"), C_SERVER);
        Files.writeString(dir.resolve("client.c"), C_CLIENT);
        cServer = dir.resolve("server");
        cClient = dir.resolve("client");
        run(dir, "gcc", "-w", "-I" + dir, "-I/usr/include/tirpc", "-o", cServer.toString(), "server.c", "kv_svc.c",
                "kv_xdr.c", "-ltirpc");
        run(dir, "gcc", "-w", "-I" + dir, "-I/usr/include/tirpc", "-o", cClient.toString(), "client.c", "kv_clnt.c",
                "kv_xdr.c", "-ltirpc");
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("interop").build()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pool != null) {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    private static void run(Path in, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    }

    // --- a Java server from the generated skeleton, a C client ---------------------------------------------

    /** The store, as kv.x describes it, behind both generated Server interfaces. */
    private static Map<String, Reflect.Body> store() throws Throwable {
        ConcurrentSkipListMap<byte[], byte[]> store = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
        Class<?> pair = kv.type("KvPair");
        Class<?> node = kv.type("KvNode");
        Object notFound = Reflect.create(kv.type("KvGetResult$False"));
        Reflect.Body list = a -> {
            Object next = null;
            for (byte[] k : store.descendingKeySet()) {
                next = create(node, k, next);
            }
            return next;
        };
        return Map.of(
                "kvPut", a -> store.put(bytes(a[1], "key"), bytes(a[1], "value")) == null,
                "kvGet", a -> {
                    byte[] v = store.get((byte[]) a[1]);
                    return v == null ? notFound : create(kv.type("KvGetResult$True"), (Object) v);
                },
                "kvDelete", a -> store.remove((byte[]) a[1]) != null,
                "kvList", list,
                "kvCount", a -> (long) store.size(),
                "kvScan", a -> {
                    List<Object> out = new ArrayList<>();
                    byte[] prefix = (byte[]) a[1];
                    for (Map.Entry<byte[], byte[]> e : store.tailMap(prefix).entrySet()) {
                        byte[] k = e.getKey();
                        if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                            break;
                        }
                        out.add(create(pair, k, e.getValue()));
                    }
                    return out;
                });
    }

    private static Object create(Class<?> c, Object... args) {
        try {
            return Reflect.create(c, args);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static byte[] bytes(Object record, String component) {
        try {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                if (rc.getName().equals(component)) {
                    return (byte[]) rc.getAccessor().invoke(record);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(component);
    }

    private List<String> runCClient(String protocol, int port) throws Exception {
        Process p = new ProcessBuilder(cClient.toString(), protocol, Integer.toString(port)).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the C client finished");
        assertEquals(0, p.exitValue(), "the C client failed:\n" + out);
        return out.lines().toList();
    }

    private void cClientTalksToTheGeneratedJavaServer(String protocol) throws Throwable {
        Map<String, Reflect.Body> methods = store();
        RpcService service = RpcService.create();
        service.register((RpcProgram) Reflect.call(kv.type("KvV1"), "program",
                Reflect.implement(kv.type("KvV1$Server"), methods)));
        service.register((RpcProgram) Reflect.call(kv.type("KvV2"), "program",
                Reflect.implement(kv.type("KvV2$Server"), methods)));
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        if (protocol.equals("tcp")) {
            Listener l = service.listen(pool, loopback);
            try {
                assertEquals(TRANSCRIPT, runCClient(protocol, ((InetSocketAddress) l.address()).getPort()));
            } finally {
                l.close();
            }
        } else {
            DatagramEndpoint u = service.listenUdp(pool, loopback);
            try {
                assertEquals(TRANSCRIPT, runCClient(protocol, ((InetSocketAddress) u.address()).getPort()));
            } finally {
                u.close();
            }
        }
    }

    @Test
    void aCClientFromRpcgenTalksToTheGeneratedServerOverTcp() throws Throwable {
        cClientTalksToTheGeneratedJavaServer("tcp");
    }

    @Test
    void aCClientFromRpcgenTalksToTheGeneratedServerOverUdp() throws Throwable {
        cClientTalksToTheGeneratedJavaServer("udp");
    }

    // --- a C server from rpcgen, the generated Java client ---------------------------------------------------

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String keys(Object node) throws Throwable {
        List<String> out = new ArrayList<>();
        for (Object n = node; n != null; n = Reflect.call(n, "next")) {
            out.add(text((byte[]) Reflect.call(n, "key")));
        }
        return String.join(" ", out);
    }

    /** The transcript's calls through the generated clients of both versions. */
    private static List<String> javaClientScript(RpcCaller caller) throws Throwable {
        Object v1 = Reflect.create(kv.type("KvV1$Client"), caller);
        Object v2 = Reflect.create(kv.type("KvV2$Client"), caller);
        Class<?> pair = kv.type("KvPair");
        List<String> out = new ArrayList<>();
        Reflect.call(v1, "kvNull");
        out.add("null -> ok");
        for (String[] kvp : new String[][] {{"a", "1"}, {"b", "22"}, {"a", "333"}}) {
            boolean added = (Boolean) Reflect.call(v1, "kvPut", create(pair, b(kvp[0]), b(kvp[1])));
            out.add("put " + kvp[0] + "=" + kvp[1] + " -> " + (added ? 1 : 0));
        }
        for (String key : List.of("a", "zz")) {
            Object r = Reflect.call(v1, "kvGet", (Object) b(key));
            out.add("get " + key + " -> " + ((Boolean) Reflect.call(r, "found") ? text((byte[]) Reflect.call(r, "value"))
                    : "none"));
        }
        for (int i = 0; i < 2; i++) {
            out.add("delete b -> " + ((Boolean) Reflect.call(v1, "kvDelete", (Object) b("b")) ? 1 : 0));
        }
        out.add("list -> " + keys(Reflect.call(v1, "kvList")));
        out.add("put ab=x -> " + ((Boolean) Reflect.call(v2, "kvPut", create(pair, b("ab"), b("x"))) ? 1 : 0));
        out.add("count -> " + Long.toUnsignedString((Long) Reflect.call(v2, "kvCount")));
        List<String> scanned = new ArrayList<>();
        for (Object p : (List<?>) Reflect.call(v2, "kvScan", (Object) b("a"))) {
            scanned.add(text((byte[]) Reflect.call(p, "key")) + "=" + text((byte[]) Reflect.call(p, "value")));
        }
        out.add("scan a -> " + String.join(" ", scanned));
        out.add("list -> " + keys(Reflect.call(v2, "kvList")));
        return out;
    }

    private void generatedClientTalksToTheCServer(String protocol) throws Throwable {
        Process server = new ProcessBuilder(cServer.toString(), protocol).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(r.readLine().trim());
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            try (RpcCaller caller = protocol.equals("tcp") ? RpcClient.connect(pool, address).get(5, TimeUnit.SECONDS)
                    : RpcUdpClient.open(pool, address)) {
                assertEquals(TRANSCRIPT, javaClientScript(caller));
            }
        } finally {
            server.destroy();
            assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the C server stopped");
        }
    }

    @Test
    void theGeneratedClientTalksToACServerFromRpcgenOverTcp() throws Throwable {
        generatedClientTalksToTheCServer("tcp");
    }

    @Test
    void theGeneratedClientTalksToACServerFromRpcgenOverUdp() throws Throwable {
        generatedClientTalksToTheCServer("udp");
    }

    // --- the C mains (rpcgen makes the stubs, dispatchers and XDR; these bind, connect and call) --------------

    private static final String C_SERVER = """
            /* Written by RpcgenInteropTest: kv.x served by rpcgen's dispatchers (rpcgen -m) on a loopback port it
               prints, registered with protocol 0 so rpcbind is not involved. libtirpc's svctcp_create does not
               listen on a socket it is given: main does. */
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <netinet/in.h>
            #include <sys/socket.h>
            #include <rpc/rpc.h>
            #include "kv.h"

            void kv_prog_1(struct svc_req *, SVCXPRT *);
            void kv_prog_2(struct svc_req *, SVCXPRT *);

            struct entry { char *k; u_int kl; char *v; u_int vl; };
            static struct entry store[256];
            static int count;

            static int compare(const char *a, u_int al, const char *b, u_int bl) {
                int c = memcmp(a, b, al < bl ? al : bl);
                return c != 0 ? c : (al > bl) - (al < bl);
            }

            static int find(kv_key *k, int *at) {
                int i = 0;
                while (i < count && compare(store[i].k, store[i].kl, k->kv_key_val, k->kv_key_len) < 0) {
                    i++;
                }
                *at = i;
                return i < count && compare(store[i].k, store[i].kl, k->kv_key_val, k->kv_key_len) == 0;
            }

            static char *copy(const char *b, u_int n) {
                char *c = malloc(n + 1);
                memcpy(c, b, n);
                return c;
            }

            void *kv_null_1_svc(void *a, struct svc_req *r) { static char ok; return &ok; }
            void *kv_null_2_svc(void *a, struct svc_req *r) { return kv_null_1_svc(a, r); }

            bool_t *kv_put_1_svc(kv_pair *p, struct svc_req *r) {
                static bool_t added;
                int at;
                if (find(&p->key, &at)) {
                    free(store[at].v);
                    added = FALSE;
                } else {
                    memmove(&store[at + 1], &store[at], (count - at) * sizeof store[0]);
                    count++;
                    store[at].k = copy(p->key.kv_key_val, p->key.kv_key_len);
                    store[at].kl = p->key.kv_key_len;
                    added = TRUE;
                }
                store[at].v = copy(p->value.kv_value_val, p->value.kv_value_len);
                store[at].vl = p->value.kv_value_len;
                return &added;
            }
            bool_t *kv_put_2_svc(kv_pair *p, struct svc_req *r) { return kv_put_1_svc(p, r); }

            kv_get_result *kv_get_1_svc(kv_key *k, struct svc_req *r) {
                static kv_get_result res;
                int at;
                res.found = find(k, &at);
                if (res.found) {
                    res.kv_get_result_u.value.kv_value_len = store[at].vl;
                    res.kv_get_result_u.value.kv_value_val = store[at].v;
                }
                return &res;
            }
            kv_get_result *kv_get_2_svc(kv_key *k, struct svc_req *r) { return kv_get_1_svc(k, r); }

            bool_t *kv_delete_1_svc(kv_key *k, struct svc_req *r) {
                static bool_t existed;
                int at;
                existed = find(k, &at);
                if (existed) {
                    free(store[at].k);
                    free(store[at].v);
                    memmove(&store[at], &store[at + 1], (count - at - 1) * sizeof store[0]);
                    count--;
                }
                return &existed;
            }
            bool_t *kv_delete_2_svc(kv_key *k, struct svc_req *r) { return kv_delete_1_svc(k, r); }

            kv_keys *kv_list_1_svc(void *a, struct svc_req *r) {
                static kv_keys head;
                static kv_node nodes[256];
                head = NULL;
                for (int i = count - 1; i >= 0; i--) {
                    nodes[i].key.kv_key_len = store[i].kl;
                    nodes[i].key.kv_key_val = store[i].k;
                    nodes[i].next = head;
                    head = &nodes[i];
                }
                return &head;
            }
            kv_keys *kv_list_2_svc(void *a, struct svc_req *r) { return kv_list_1_svc(a, r); }

            u_quad_t *kv_count_2_svc(void *a, struct svc_req *r) { static u_quad_t n; n = count; return &n; }

            kv_pairs *kv_scan_2_svc(kv_key *prefix, struct svc_req *r) {
                static kv_pairs res;
                static kv_pair pairs[256];
                res.kv_pairs_len = 0;
                res.kv_pairs_val = pairs;
                for (int i = 0; i < count; i++) {
                    if (store[i].kl >= prefix->kv_key_len
                            && memcmp(store[i].k, prefix->kv_key_val, prefix->kv_key_len) == 0) {
                        kv_pair *p = &pairs[res.kv_pairs_len++];
                        p->key.kv_key_len = store[i].kl;
                        p->key.kv_key_val = store[i].k;
                        p->value.kv_value_len = store[i].vl;
                        p->value.kv_value_val = store[i].v;
                    }
                }
                return &res;
            }

            int main(int argc, char **argv) {
                int udp = argc > 1 && strcmp(argv[1], "udp") == 0;
                int sock = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
                struct sockaddr_in a;
                socklen_t len = sizeof a;
                memset(&a, 0, sizeof a);
                a.sin_family = AF_INET;
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                if (sock < 0 || bind(sock, (struct sockaddr *) &a, sizeof a) != 0
                        || getsockname(sock, (struct sockaddr *) &a, &len) != 0 || (!udp && listen(sock, 16) != 0)) {
                    perror("socket");
                    return 1;
                }
                SVCXPRT *x = udp ? svcudp_create(sock) : svctcp_create(sock, 0, 0);
                if (x == NULL || !svc_register(x, KV_PROG, KV_V1, kv_prog_1, 0)
                        || !svc_register(x, KV_PROG, KV_V2, kv_prog_2, 0)) {
                    fprintf(stderr, "cannot serve\\n");
                    return 1;
                }
                printf("%d\\n", ntohs(a.sin_port));
                fflush(stdout);
                svc_run();
                return 1;
            }
            """;

    private static final String C_CLIENT = """
            /* Written by RpcgenInteropTest: calls kv.x through rpcgen's client stubs (rpcgen -l) at an explicit
               loopback port, no rpcbind, and prints one line per call. */
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            #include <netinet/in.h>
            #include <rpc/rpc.h>
            #include "kv.h"

            static kv_key key(char *s) { kv_key k; k.kv_key_len = strlen(s); k.kv_key_val = s; return k; }

            static void print(const char *what, const char *b, u_int n) { printf("%s%.*s", what, (int) n, b); }

            static void list(kv_keys *l) {
                if (l == NULL) { printf("list -> FAILED\\n"); exit(1); }
                printf("list ->");
                for (kv_node *n = *l; n != NULL; n = n->next) {
                    print(" ", n->key.kv_key_val, n->key.kv_key_len);
                }
                printf("\\n");
            }

            static CLIENT *connect_to(int udp, int port, u_long vers) {
                struct sockaddr_in a;
                int sock = RPC_ANYSOCK;
                struct timeval resend = {1, 0};
                memset(&a, 0, sizeof a);
                a.sin_family = AF_INET;
                a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                a.sin_port = htons(port);
                CLIENT *c = udp ? clntudp_create(&a, KV_PROG, vers, resend, &sock)
                                : clnttcp_create(&a, KV_PROG, vers, &sock, 0, 0);
                if (c == NULL) { clnt_pcreateerror("connect"); exit(1); }
                return c;
            }

            int main(int argc, char **argv) {
                int udp = strcmp(argv[1], "udp") == 0;
                int port = atoi(argv[2]);
                CLIENT *v1 = connect_to(udp, port, KV_V1);
                CLIENT *v2 = connect_to(udp, port, KV_V2);
                if (kv_null_1(NULL, v1) == NULL) { clnt_perror(v1, "null"); return 1; }
                printf("null -> ok\\n");
                char *puts[][2] = {{"a", "1"}, {"b", "22"}, {"a", "333"}};
                for (int i = 0; i < 3; i++) {
                    kv_pair p;
                    p.key = key(puts[i][0]);
                    p.value.kv_value_len = strlen(puts[i][1]);
                    p.value.kv_value_val = puts[i][1];
                    bool_t *r = kv_put_1(&p, v1);
                    if (r == NULL) { clnt_perror(v1, "put"); return 1; }
                    printf("put %s=%s -> %d\\n", puts[i][0], puts[i][1], *r);
                }
                char *gets[] = {"a", "zz"};
                for (int i = 0; i < 2; i++) {
                    kv_key k = key(gets[i]);
                    kv_get_result *r = kv_get_1(&k, v1);
                    if (r == NULL) { clnt_perror(v1, "get"); return 1; }
                    printf("get %s -> ", gets[i]);
                    if (r->found) {
                        print("", r->kv_get_result_u.value.kv_value_val, r->kv_get_result_u.value.kv_value_len);
                    } else {
                        printf("none");
                    }
                    printf("\\n");
                }
                for (int i = 0; i < 2; i++) {
                    kv_key k = key("b");
                    bool_t *r = kv_delete_1(&k, v1);
                    if (r == NULL) { clnt_perror(v1, "delete"); return 1; }
                    printf("delete b -> %d\\n", *r);
                }
                list(kv_list_1(NULL, v1));
                kv_pair p;
                p.key = key("ab");
                p.value.kv_value_len = 1;
                p.value.kv_value_val = "x";
                bool_t *added = kv_put_2(&p, v2);
                if (added == NULL) { clnt_perror(v2, "put"); return 1; }
                printf("put ab=x -> %d\\n", *added);
                u_quad_t *n = kv_count_2(NULL, v2);
                if (n == NULL) { clnt_perror(v2, "count"); return 1; }
                printf("count -> %llu\\n", (unsigned long long) *n);
                kv_key prefix = key("a");
                kv_pairs *s = kv_scan_2(&prefix, v2);
                if (s == NULL) { clnt_perror(v2, "scan"); return 1; }
                printf("scan a ->");
                for (u_int i = 0; i < s->kv_pairs_len; i++) {
                    kv_pair *q = &s->kv_pairs_val[i];
                    print(" ", q->key.kv_key_val, q->key.kv_key_len);
                    print("=", q->value.kv_value_val, q->value.kv_value_len);
                }
                printf("\\n");
                list(kv_list_2(NULL, v2));
                return 0;
            }
            """;
}
