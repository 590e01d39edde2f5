package io.ripcord.rpc.client;

import static io.ripcord.testsupport.Futures.failure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AcceptStat;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.RpcActor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.auth.GlusterCredential;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ReconnectPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcClientTest {

    static final int PROG = 0x20000C0C;
    static final int CB_PROG = 0x20000C0D;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private EventPool pool;
    private RpcService service;
    private RpcCallbacks callbacks;
    private Listener listener;
    private final List<RpcClient> clients = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    /** Calls to NEVER, which are never answered. */
    private final BlockingQueue<RpcCall> unanswered = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        pool = EventPool.create(EventPoolOptions.builder().pollers(2).threadNamePrefix("clnt").build()).start();
        // Above the default 64, so a hundred unanswered calls all reach the actor.
        service = RpcService.create(RpcServiceOptions.builder().outstandingLimit(256).build());
        service.register(program(2));
        service.register(program(5));
        callbacks = RpcCallbacks.attach(service);
        listener = listen(service, LOOPBACK);
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(RpcClient::close);
        listeners.forEach(Listener::close);
        pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    }

    private Listener listen(RpcService s, java.net.SocketAddress address) throws Exception {
        Listener l = s.listen(pool, address);
        listeners.add(l);
        return l;
    }

    private RpcClient connect(java.net.SocketAddress address, RpcClientOptions options) throws Exception {
        RpcClient c = RpcClient.connect(pool, address, options).get(10, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private RpcClient connect() throws Exception {
        return connect(listener.address(), RpcClientOptions.defaults());
    }

    /** proc 1 INC: a + 1; 2 BOOM throws; 3 NEVER never replies; 4 WHO: the principal; 5 CALLBACK: asks the client. */
    private RpcProgram program(int v) {
        return RpcProgram.builder(PROG, v, "TEST")
                .actor(RpcActor.of(0, "NULL", RpcActor.VOID, (c, a) -> c.replyVoid()))
                .actor(RpcActor.of(1, "INC", XdrDecoder::readInt, (c, a) -> c.reply(a + 1, XdrEncoder::writeInt)))
                .actor(RpcActor.of(2, "BOOM", RpcActor.VOID, (c, a) -> {
                    throw new IllegalStateException("boom");
                }))
                .actor(RpcActor.of(3, "NEVER", RpcActor.IGNORED, (c, a) -> unanswered.add(c)))
                .actor(RpcActor.of(4, "WHO", RpcActor.VOID, (c, a) ->
                        c.reply(c.principal().toString(), (e, s) -> e.writeString(s, 1024))))
                .actor(RpcActor.of(5, "CALLBACK", XdrDecoder::readInt, (c, a) ->
                        callbacks.call(c.transport(), CB_PROG, 1, 1, XdrEncoder::writeInt, a, XdrDecoder::readInt)
                                .whenComplete((r, e) -> {
                                    if (e == null) {
                                        c.reply(r + 1000, XdrEncoder::writeInt);
                                    } else {
                                        c.replyError(AcceptStat.SYSTEM_ERR);
                                    }
                                })))
                .build();
    }

    @Test
    void aConnectNobodyAnswersFailsWithAnRpcConnectExceptionNamingTheAddress() throws Exception {
        java.net.InetSocketAddress closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = (java.net.InetSocketAddress) s.getLocalSocketAddress();
        }
        Throwable t = failure(RpcClient.connect(pool, closed, RpcClientOptions.defaults()));
        RpcConnectException e = assertInstanceOf(RpcConnectException.class, t);
        assertEquals(closed, e.address());
        assertTrue(e.getMessage().startsWith("cannot connect to 127.0.0.1:" + closed.getPort() + ": "), e.getMessage());
        assertInstanceOf(java.net.ConnectException.class, e.getCause());
    }

    @Test
    void aPeerThatSendsTheCallBackIsNoRpcServerAndTheCallFailsAtOnce() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> echoing = CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = echo.accept()) {
                    s.getInputStream().transferTo(s.getOutputStream());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            RpcClient c = connect(echo.getLocalSocketAddress(), RpcClientOptions.builder()
                    .callTimeout(Duration.ofMinutes(5)).build());
            Throwable t = failure(c.call(PROG, 1, 1, XdrEncoder::writeInt, 1, XdrDecoder::readInt));
            RpcDisconnectedException e = assertInstanceOf(RpcDisconnectedException.class, t);
            assertEquals(DisconnectCause.PROTOCOL, e.disconnectCause());
            assertTrue(e.getMessage().endsWith("sent the call back instead of a reply: it does not speak ONC RPC"),
                    e.getMessage());
            c.close();
            echoing.get(10, TimeUnit.SECONDS);
        }
    }

    private static <T extends Throwable> T failsWith(Class<T> type, CompletableFuture<?> f)
            throws InterruptedException {
        return assertInstanceOf(type, failure(f));
    }

    // --- results and typed errors -------------------------------------------------------------------------

    @Test
    void callsReturnTheDecodedResults() throws Exception {
        RpcClient client = connect();
        assertEquals(42, client.call(PROG, 2, 1, XdrEncoder::writeInt, 41, XdrDecoder::readInt).get(10, TimeUnit.SECONDS));
        assertEquals(8, (int) client.callSync(PROG, 5, 1, XdrEncoder::writeInt, 7, XdrDecoder::readInt));
        assertEquals(null, client.callSync(PROG, 2, 0, RpcActor.VOID));
        assertTrue(client.isConnected());
        assertEquals(0, client.outstandingCalls());
    }

    @Test
    void unknownProgramIsProgramUnavailable() throws Exception {
        RpcClient client = connect();
        Throwable e = failsWith(ProgramUnavailableException.class, client.call(PROG + 100, 1, 0, RpcActor.VOID));
        assertTrue(e.getMessage().contains("PROG_UNAVAIL"), e.getMessage());
    }

    @Test
    void progMismatchCarriesTheLowestAndHighestVersions() throws Exception {
        RpcClient client = connect();
        ProgramMismatchException e = failsWith(ProgramMismatchException.class, client.call(PROG, 3, 0, RpcActor.VOID));
        assertEquals(2, e.low());
        assertEquals(5, e.high());
        assertTrue(e.getMessage().contains("versions 2 to 5"), e.getMessage());
    }

    @Test
    void unknownProcedureIsProcedureUnavailable() throws Exception {
        failsWith(ProcedureUnavailableException.class, connect().call(PROG, 2, 99, RpcActor.VOID));
    }

    @Test
    void argumentsTheServerCannotDecodeAreGarbageArgs() throws Exception {
        // INC wants an int; send none.
        failsWith(GarbageArgsException.class, connect().call(PROG, 2, 1, XdrDecoder::readInt));
    }

    @Test
    void anActorThatThrowsIsSystemError() throws Exception {
        failsWith(SystemErrorException.class, connect().call(PROG, 2, 2, RpcActor.VOID));
    }

    @Test
    void callSyncThrowsTheTypedException() throws Exception {
        RpcClient client = connect();
        assertThrows(ProcedureUnavailableException.class, () -> client.callSync(PROG, 2, 99, RpcActor.VOID));
    }

    @Test
    void aRefusedFlavorIsAuthErrorWithItsAuthStat() throws Exception {
        RpcService strict = RpcService.create(RpcServiceOptions.builder().refuseFlavor(AuthFlavor.AUTH_NONE).build());
        strict.register(program(2));
        Listener l = listen(strict, LOOPBACK);
        RpcClient client = connect(l.address(), RpcClientOptions.defaults());
        AuthErrorException e = failsWith(AuthErrorException.class, client.call(PROG, 2, 4, RpcActor.VOID));
        assertEquals(AuthStat.AUTH_BADCRED, e.authStat());
        assertTrue(e.getMessage().contains("AUTH_BADCRED"), e.getMessage());

        // The same connection with a credential the server takes: the actor sees it.
        Credential sys = Credential.authSys(new AuthSysCredential(1, "ripcord-host", 1000, 100, new int[] {4, 5}));
        String who = client.callSync(PROG, 2, 4, (en, v) -> { }, null, d -> d.readString(1024),
                CallOptions.builder().credential(sys).build());
        assertEquals("AUTH_SYS[ripcord-host uid=1000 gid=100 gids=[4, 5]]", who);
    }

    @Test
    void theClientCredentialGoesWithEveryCall() throws Exception {
        GlusterCredential gc = new GlusterCredential(4242, 0, 0, new int[0], new byte[8]);
        RpcClient client = connect(listener.address(), RpcClientOptions.builder()
                .credential(Credential.glusterV2(gc)).build());
        assertEquals(gc.toString(), client.callSync(PROG, 2, 4, d -> d.readString(1024)));
    }

    @Test
    void argumentsThatBreakTheirLimitsFailTheCallBeforeItIsSent() throws Exception {
        RpcClient client = connect();
        CompletableFuture<Void> f = client.call(PROG, 2, 1, (e, s) -> e.writeString(s, 2), "too long",
                RpcActor.VOID);
        assertInstanceOf(IllegalArgumentException.class, failure(f));
        assertEquals(0, client.outstandingCalls());
    }

    // (What RpcService never sends is scripted in the testkit's ScriptedServerTest.)

    @Test
    void aDisconnectFailsEachOfAHundredPendingCallsExactlyOnce() throws Exception {
        RpcClient client = connect();
        AtomicInteger completions = new AtomicInteger();
        AtomicInteger disconnected = new AtomicInteger();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<Void> f = client.call(PROG, 2, 3, RpcActor.VOID);
            f.whenComplete((r, e) -> {
                completions.incrementAndGet();
                if (e instanceof RpcDisconnectedException
                        && ((RpcDisconnectedException) e).disconnectCause() == DisconnectCause.EOF) {
                    disconnected.incrementAndGet();
                }
            });
            calls.add(f);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> unanswered.size() == 100);
        assertEquals(100, client.outstandingCalls());
        unanswered.peek().transport().close(); // the server hangs up

        await().atMost(Duration.ofSeconds(10)).until(() -> completions.get() == 100);
        assertEquals(100, disconnected.get());
        assertEquals(0, client.outstandingCalls());
        assertFalse(client.isConnected());
        // Replies to them now go nowhere, and no timer fires a second completion.
        unanswered.forEach(RpcCall::replyVoid);
        for (CompletableFuture<Void> f : calls) {
            assertInstanceOf(RpcDisconnectedException.class, failure(f));
        }
        assertEquals(100, completions.get());
        // With no reconnect policy, calls now fail at once.
        RpcDisconnectedException e = failsWith(RpcDisconnectedException.class, client.call(PROG, 2, 0, RpcActor.VOID));
        assertEquals(DisconnectCause.EOF, e.disconnectCause());
    }

    @Test
    void closeFailsPendingCallsAtOnceAndLaterCallsFailFast() throws Exception {
        RpcClient client = connect();
        CompletableFuture<Void> pending = client.call(PROG, 2, 3, RpcActor.VOID);
        await().atMost(Duration.ofSeconds(10)).until(() -> unanswered.size() == 1);
        client.close();
        assertEquals(DisconnectCause.LOCAL_CLOSE,
                failsWith(RpcDisconnectedException.class, pending).disconnectCause());
        assertEquals(DisconnectCause.LOCAL_CLOSE, failsWith(RpcDisconnectedException.class,
                client.call(PROG, 2, 0, RpcActor.VOID)).disconnectCause());
        assertFalse(client.isConnected());
    }

    @Test
    void reconnectsAfterTheServerRestartsOnTheSamePortAndNeverResends() throws Exception {
        RpcService first = RpcService.create();
        first.register(program(2));
        Listener l = first.listen(pool, LOOPBACK);
        InetSocketAddress address = (InetSocketAddress) l.address();
        RpcClient client = connect(address, RpcClientOptions.builder()
                .reconnectPolicy(ReconnectPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(200), 2.0, 0.2, 0))
                .build());
        AtomicInteger completions = new AtomicInteger();
        CompletableFuture<Void> pending = client.call(PROG, 2, 3, RpcActor.VOID);
        pending.whenComplete((r, e) -> completions.incrementAndGet());
        RpcCall held = unanswered.poll(10, TimeUnit.SECONDS);
        assertNotNull(held);

        l.close();                       // the server stops
        held.transport().close();
        assertEquals(DisconnectCause.EOF, failsWith(RpcDisconnectedException.class, pending).disconnectCause());
        await().atMost(Duration.ofSeconds(10)).until(() -> !client.isConnected());
        failsWith(RpcDisconnectedException.class, client.call(PROG, 2, 0, RpcActor.VOID)); // fails fast meanwhile

        Listener again = listen(first, address);   // and comes back on the same port
        assertEquals(address, again.address());
        await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
        assertEquals(11, (int) client.callSync(PROG, 2, 1, XdrEncoder::writeInt, 10, XdrDecoder::readInt));
        assertEquals(1, completions.get());
        assertTrue(unanswered.isEmpty(), "the pending call was not resent");
    }

    // --- the server calls the client ----------------------------------------------------------------------

    @Test
    void theServerCallsTheClientBackOnTheSameConnection() throws Exception {
        RpcClient client = connect();
        AtomicInteger served = new AtomicInteger();
        client.serve(RpcProgram.builder(CB_PROG, 1, "CB")
                .actor(RpcActor.of(1, "TIMES_TEN", XdrDecoder::readInt, (c, a) -> {
                    served.incrementAndGet();
                    c.reply(a * 10, XdrEncoder::writeInt);
                }))
                .build());
        assertEquals(1070, (int) client.callSync(PROG, 2, 5, XdrEncoder::writeInt, 7, XdrDecoder::readInt));
        assertEquals(1, served.get());
        // Twenty at once, interleaved with the callbacks they cause.
        List<CompletableFuture<Integer>> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(client.call(PROG, 2, 5, XdrEncoder::writeInt, i, XdrDecoder::readInt));
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(1000 + 10 * i, many.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(21, served.get());
    }

    @Test
    void aCallbackTheClientDoesNotServeIsProgramUnavailableToTheServer() throws Exception {
        RpcClient client = connect();
        client.serve(RpcProgram.builder(CB_PROG + 1, 1, "OTHER").build());
        CompletableFuture<Integer> f = client.call(PROG, 2, 5, XdrEncoder::writeInt, 1, XdrDecoder::readInt);
        failsWith(SystemErrorException.class, f); // the actor turns its callback's PROG_UNAVAIL into SYSTEM_ERR
    }

    @Test
    void callbacksPendingWhenTheClientLeavesFailOnce() throws Exception {
        RpcClient client = connect();
        client.serve(RpcProgram.builder(CB_PROG, 1, "CB")
                .actor(RpcActor.of(1, "SILENT", RpcActor.IGNORED, (c, a) -> { }))
                .build());
        CompletableFuture<Void> viaServer = client.call(PROG, 2, 3, RpcActor.VOID);
        RpcCall held = unanswered.poll(10, TimeUnit.SECONDS);
        assertNotNull(held);
        CompletableFuture<Void> cb = callbacks.call(held.transport(), CB_PROG, 1, 1, (e, v) -> { }, null,
                RpcActor.VOID);
        client.close();
        assertInstanceOf(RpcDisconnectedException.class, failure(cb));
        assertInstanceOf(RpcDisconnectedException.class, failure(viaServer));
        await().atMost(Duration.ofSeconds(10)).until(() -> callbacks.connections() == 0);
    }

    // --- concurrency, Unix sockets, GF-DUMP ---------------------------------------------------------------

    @Test
    void concurrentCallsFromEightThreadsAllGetTheirOwnResults() throws Exception {
        RpcClient client = connect();
        int threads = 8;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Integer>> wrong = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicInteger ok = new AtomicInteger();
        for (int t = 0; t < threads; t++) {
            int base = t * 1_000_000;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    List<CompletableFuture<Integer>> fs = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        if (i % 10 == 0) {
                            int r = client.callSync(PROG, 2, 1, XdrEncoder::writeInt, base + i, XdrDecoder::readInt);
                            if (r == base + i + 1) {
                                ok.incrementAndGet();
                            }
                        } else {
                            fs.add(client.call(PROG, 5, 1, XdrEncoder::writeInt, base + i, XdrDecoder::readInt));
                        }
                    }
                    int j = 0;
                    for (int i = 0; i < perThread; i++) {
                        if (i % 10 != 0 && fs.get(j++).get(20, TimeUnit.SECONDS) == base + i + 1) {
                            ok.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    synchronized (wrong) {
                        wrong.add(CompletableFuture.failedFuture(e));
                    }
                }
            }, "caller-" + t);
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertTrue(wrong.isEmpty(), () -> "a caller failed: " + failureOf(wrong.get(0)));
        assertEquals(threads * perThread, ok.get());
        assertEquals(0, client.outstandingCalls());
    }

    private static String failureOf(CompletableFuture<?> f) {
        try {
            f.join();
            return "none";
        } catch (CompletionException e) {
            return String.valueOf(e.getCause());
        }
    }

    @Test
    void callsWorkOverAUnixDomainSocket(@TempDir Path dir) throws Exception {
        Listener l = listen(service, UnixDomainSocketAddress.of(dir.resolve("rpc.sock")));
        RpcClient client = connect(l.address(), RpcClientOptions.defaults());
        assertEquals(100, (int) client.callSync(PROG, 2, 1, XdrEncoder::writeInt, 99, XdrDecoder::readInt));
    }

    @Test
    void gfDumpListsTheServerProgramsAndPingAnswers() throws Exception {
        RpcClient client = connect();
        List<GfDumpClient.Program> programs = GfDumpClient.dump(client).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new GfDumpClient.Program(GfDump.NAME, GfDump.PROGRAM, 1),
                new GfDumpClient.Program("TEST", PROG, 2), new GfDumpClient.Program("TEST", PROG, 5)), programs);
        assertSame(null, GfDumpClient.ping(client).get(10, TimeUnit.SECONDS));
    }

    @Test
    void callSyncRefusesToBlockAPoller() throws Exception {
        RpcClient client = connect();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        pool.execute(() -> {
            try {
                client.callSync(PROG, 2, 0, RpcActor.VOID);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        assertInstanceOf(IllegalStateException.class, thrown.get(10, TimeUnit.SECONDS));
    }
}
