package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.client.CallOptions;
import io.ripcord.rpc.client.GarbageArgsException;
import io.ripcord.rpc.client.RpcCaller;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcTimeoutException;
import io.ripcord.rpc.client.RpcUdpClient;
import io.ripcord.rpc.client.SystemErrorException;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.transport.DatagramEndpoint;
import io.ripcord.transport.Listener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server made from the generated skeletons (version 1 synchronous, version 2 asynchronous) and the generated
 * typed client, over Ripcord's RpcService and RpcClient on loopback TCP and UDP.
 */
class ProgramLoopbackTest {

    private static final Generated G = RoundTripProperties.EVERYTHING;
    private static final String LIST = "{label: \"a\", weights: [1, 2], next: {label: \"b\", weights: [], next: null}}";

    private EventPool pool;
    private RpcService service;
    private Listener tcp;
    private DatagramEndpoint udp;
    private RpcClient tcpClient;
    private RpcUdpClient udpClient;
    private ExecutorService later;
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final List<String> forgotten = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Object> neverCompletes = new CompletableFuture<>();
    private volatile String list = LIST;

    private Object value(String type, String text) {
        return G.types().get(type).parse(text);
    }

    private Reflect.Body counted(String name, Reflect.Body f) {
        return args -> {
            served.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            assertInstanceOf(RpcCall.class, args[0], "every method gets the call first");
            return f.apply(args);
        };
    }

    @BeforeEach
    void setUp() throws Throwable {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("gen").build()).start();
        later = Executors.newSingleThreadExecutor();
        Object v1 = Reflect.implement(G.type("DemoV1$Server"), Map.of(
                "demoEcho", counted("echo", a -> a[1]),
                "demoAdd", counted("add", a -> (int) a[1] + (int) a[2]),
                "demoList", counted("list", a -> value("node_list", list)),
                "demoForget", counted("forget", a -> {
                    forgotten.add((String) a[1]);
                    return null;
                }),
                "demoSum", counted("sum", a -> {
                    long sum = 0;
                    for (Object x : (List<?>) a[1]) {
                        sum += (Long) x;
                    }
                    return (Boolean) a[2] ? sum * 2 : sum;
                }),
                "demoGreet", counted("greet", a -> {
                    if (a[1].equals("boom")) {
                        throw new IllegalStateException("the server method failed");
                    }
                    if (a[1].equals("garbage")) {
                        throw new XdrException("a nested encoding in the argument does not decode");
                    }
                    return "hello " + a[1];
                })));
        Object v2 = Reflect.implement(G.type("DemoV2$AsyncServer"), Map.of(
                "demoShape", counted("shape", a -> CompletableFuture.supplyAsync(
                        () -> value("shape", "{kind: " + a[1] + ", label: \"from another thread\"}"), later)),
                "demoResult", counted("result", a -> switch ((int) a[1]) {
                    case 13 -> CompletableFuture.failedFuture(new IllegalStateException("thirteen"));
                    case 14 -> CompletableFuture.supplyAsync(() -> {
                        throw new CompletionException(new XdrException("fourteen does not decode"));
                    }, later);
                    case 99 -> neverCompletes;
                    default -> CompletableFuture.completedFuture(value("result", "{status: " + a[1] + "}"));
                })));
        service = RpcService.create();
        service.register((RpcProgram) Reflect.call(G.type("DemoV1"), "program", v1));
        service.register((RpcProgram) Reflect.call(G.type("DemoV2"), "asyncProgram", v2));
        tcp = service.listen(pool, new InetSocketAddress("127.0.0.1", 0));
        udp = service.listenUdp(pool, new InetSocketAddress("127.0.0.1", 0));
        tcpClient = RpcClient.connect(pool, tcp.address()).get(5, TimeUnit.SECONDS);
        udpClient = RpcUdpClient.open(pool, udp.address());
    }

    @AfterEach
    void tearDown() throws Exception {
        tcpClient.close();
        udpClient.close();
        tcp.close();
        udp.close();
        later.shutdownNow();
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private Object client(String version, RpcCaller caller) throws Throwable {
        return Reflect.create(G.type(version + "$Client"), caller);
    }

    @Test
    void everyProcedureOfTheSynchronousServerAnswersTheTypedClientOverTcpAndUdp() throws Throwable {
        for (RpcCaller caller : List.of(tcpClient, udpClient)) {
            Object c = client("DemoV1", caller);
            Object holder = value("holder", JavaMappingTest.holderText("0x0102"));
            assertEquals(holder, Reflect.call(c, "demoEcho", holder));
            assertEquals(42, Reflect.call(c, "demoAdd", 40, 2), "two arguments, rpcgen -N style");
            assertEquals(value("node_list", LIST), Reflect.call(c, "demoList"));
            Reflect.call(c, "demoForget", "old");
            assertEquals(-2L, Reflect.call(c, "demoSum", List.of(Long.MAX_VALUE, 0L), true),
                    "unsigned hyper: 2^64-2 in 64 bits");
            assertEquals("hello you", Reflect.call(c, "demoGreet", "you"));
            Reflect.call(c, "demoNull");
        }
        assertEquals(List.of("old", "old"), forgotten);
        for (String name : List.of("echo", "add", "list", "forget", "sum", "greet")) {
            assertEquals(2, served.get(name).get(), name + " was served exactly once per call");
        }
        assertTrue(!served.containsKey("null"), "NULL is answered by the skeleton, not the implementation");
    }

    @Test
    void asyncMethodsAndPerCallOptionsReturnFutures() throws Throwable {
        Object c = client("DemoV1", tcpClient);
        CompletableFuture<?> sum = (CompletableFuture<?>) Reflect.call(c, "demoAddAsync", 1, 2);
        assertEquals(3, sum.get(5, TimeUnit.SECONDS));
        CallOptions options = CallOptions.timeout(Duration.ofSeconds(3));
        assertEquals("hello opt", Reflect.call(c, "demoGreet", "opt", options));
        CompletableFuture<?> greet = (CompletableFuture<?>) Reflect.call(c, "demoGreetAsync", "f", options);
        assertEquals("hello f", greet.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theAsynchronousServerRepliesWhenItsFutureCompletesFromAnotherThread() throws Throwable {
        for (RpcCaller caller : List.of(tcpClient, udpClient)) {
            Object c = client("DemoV2", caller);
            Object color = G.types().get("color").parse("BLUE");
            assertEquals("{kind: BLUE, label: \"from another thread\"}", Reflect.call(c, "demoShape", color).toString());
            assertEquals("{status: 1}", Reflect.call(c, "demoResult", 1).toString());
            Reflect.call(c, "nullProcedure");
        }
    }

    @Test
    void aServerExceptionAFailedFutureAndAResultThatBreaksItsLimitsReplySystemErr() throws Throwable {
        Object v1 = client("DemoV1", tcpClient);
        assertThrows(SystemErrorException.class, () -> Reflect.call(v1, "demoGreet", "boom"));
        list = "{label: \"" + "x".repeat(65) + "\", weights: [], next: null}";
        assertThrows(SystemErrorException.class, () -> Reflect.call(v1, "demoList"), "a label over name<64>");
        Object v2 = client("DemoV2", tcpClient);
        assertThrows(SystemErrorException.class, () -> Reflect.call(v2, "demoResult", 13));
        assertEquals("hello again", Reflect.call(v1, "demoGreet", "again"), "the connection carries on");
    }

    @Test
    void anXdrExceptionFromTheServerRepliesGarbageArgs() throws Throwable {
        assertThrows(GarbageArgsException.class, () -> Reflect.call(client("DemoV1", tcpClient), "demoGreet", "garbage"));
        assertThrows(GarbageArgsException.class, () -> Reflect.call(client("DemoV2", tcpClient), "demoResult", 14),
                "from a failed future too");
    }

    @Test
    void aPerCallTimeoutEndsACallTheServerNeverAnswers() throws Throwable {
        Object c = client("DemoV2", tcpClient);
        CompletableFuture<?> f = (CompletableFuture<?>) Reflect.call(c, "demoResultAsync", 99,
                CallOptions.timeout(Duration.ofMillis(200)));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RpcTimeoutException.class, e.getCause());
        assertEquals(1, served.get("result").get());
    }

    @Test
    void theClientRefusesArgumentsThatBreakTheirLimitsBeforeSending() throws Throwable {
        Object c = client("DemoV1", tcpClient);
        String tooLong = "n".repeat(65);
        assertThrows(IllegalArgumentException.class, () -> Reflect.call(c, "demoForget", tooLong));
        assertEquals(List.of(), forgotten);
    }

    @Test
    void theBuilderLetsTheUserNameTheProgramAndPickAnExecutor() throws Throwable {
        Object impl = Reflect.implement(G.type("DemoV1$Server"), Map.of("demoAdd", a -> {
            assertTrue(Thread.currentThread().getName().startsWith("pool-"), Thread.currentThread().getName());
            return 7;
        }));
        RpcProgram.Builder b = (RpcProgram.Builder) Reflect.call(G.type("DemoV1"), "builder", "DEMO on an executor", impl);
        RpcProgram p = b.executor(later).build();
        assertEquals("DEMO on an executor", p.name());
        assertEquals(0x20001234, p.program());
        assertEquals(1, p.version());
        RpcService other = RpcService.create();
        other.register(p);
        Listener l = other.listen(pool, new InetSocketAddress("127.0.0.1", 0));
        try (RpcClient rc = RpcClient.connect(pool, l.address()).get(5, TimeUnit.SECONDS)) {
            assertEquals(7, Reflect.call(client("DemoV1", rc), "demoAdd", 1, 1));
        } finally {
            l.close();
        }
    }
}
