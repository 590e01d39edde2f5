package io.ripcord.benchmarks;

import io.ripcord.benchmarks.jmh.kv.KvGetResult;
import io.ripcord.benchmarks.jmh.kv.KvNode;
import io.ripcord.benchmarks.jmh.kv.KvPair;
import io.ripcord.benchmarks.jmh.kv.KvV1;
import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.auth.AuthSysCredential;
import io.ripcord.rpc.auth.gss.GssAcceptor;
import io.ripcord.rpc.auth.gss.GssAuthenticator;
import io.ripcord.rpc.auth.gss.GssClient;
import io.ripcord.rpc.auth.gss.GssLogin;
import io.ripcord.rpc.auth.gss.GssServerOptions;
import io.ripcord.rpc.auth.gss.GssService;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.testsupport.MitKdc;
import io.ripcord.transport.Listener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * RPCSEC_GSS (section {@value #SECTION}): KV_GET of 100 B and 64 KiB values with AUTH_SYS, krb5, krb5i and krb5p,
 * and context setups per second, against an {@link RpcService} with {@link GssAuthenticator} in this JVM, on a
 * one-poller pool of its own (contexts created on one more thread); the load is {@link RpcClient} on another pool.
 * Server CPU is the CPU time of the server's threads ({@link ThreadMXBean}) over a run, per call. A throw-away MIT
 * KDC ({@link MitKdc}, in a temporary directory) issues the tickets; without the MIT KDC tools the section is
 * skipped with a note.
 */
final class GssBench {

    static final String SECTION = "rpc-gss";
    static final String CPU = "rpc-gss-cpu";
    private static final String SERVER_THREADS = "gss-srv";
    private static final String KRB5_CONF = "java.security.krb5.conf";
    private static final int CONNS = 2;
    private static final int DEPTH = 16;
    private static final int[] SIZES = {100, 64 * 1024};
    /** The flavors compared; null is AUTH_SYS. */
    private static final GssService[] FLAVORS = {null, GssService.NONE, GssService.INTEGRITY, GssService.PRIVACY};

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    GssBench(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedSteps(AllCommand.Config c) {
        return c.rounds() * (SIZES.length * FLAVORS.length + 1);
    }

    void run() throws Exception {
        List<Path> tools = new ArrayList<>();
        for (String tool : List.of("krb5kdc", "kdb5_util", "kadmin.local")) {
            Path p = NativeTools.find(tool);
            if (p == null) {
                skip("the MIT KDC tool " + tool + " is missing (apt-get install krb5-kdc krb5-admin-server)");
                return;
            }
            tools.add(p);
        }
        try (MitKdc kdc = MitKdc.start(tools)) {
            String conf = System.getProperty(KRB5_CONF);
            if (conf != null && !conf.equals(kdc.krb5Conf().toString())) {
                skip(KRB5_CONF + " already names " + conf + ", and the JDK reads it once per JVM");
                return;
            }
            System.setProperty(KRB5_CONF, kdc.krb5Conf().toString());
            measure(kdc);
        }
    }

    private void skip(String why) {
        results.note(SECTION, "skipped: " + why);
        progress.skip(plannedSteps(config));
    }

    private void measure(MitKdc kdc) throws Exception {
        GssLogin alice = GssLogin.fromKeytab(MitKdc.ALICE, kdc.keytab(MitKdc.ALICE));
        GssAcceptor acceptor = GssAcceptor.fromKeytab(kdc.serviceKeytab(), MitKdc.KV_SERVICE,
                GssServerOptions.defaults());
        results.note(SECTION, String.format(Locale.ROOT, "server: RpcService with KV (kv.x v1) in the orchestrating "
                + "JVM, 1 poller, GssAuthenticator creating contexts on 1 more thread; load: RpcClient on its own "
                + "1-poller pool in the same JVM, %d connections x %d KV_GET in flight over keys k0..k999 (filled "
                + "first), one context per connection; a throw-away MIT KDC (AES256/AES128). krb5 = RPCSEC_GSS "
                + "service none (header MIC and reply verifier only), krb5i = integrity, krb5p = privacy. Context "
                + "setup = connect, create a context (one NULL call: the client's AP-REQ, the server's AP-REP; the "
                + "service ticket is cached after the first), close with DESTROY, one after another.", CONNS, DEPTH));
        results.note(CPU, "The same runs: CPU time (user + system) of the server's threads (its poller and its "
                + "context-creation thread, from ThreadMXBean; GC and JIT threads not counted) over the run, "
                + "divided by the calls (or setups) completed in it. Lower is better.");
        EventPool server = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix(SERVER_THREADS)
                .build()).start();
        ExecutorService creation = Executors.newSingleThreadExecutor(r -> new Thread(r, SERVER_THREADS + "-init"));
        EventPool load = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("gss-load")
                .build()).start();
        try {
            RpcService service = RpcService.create(RpcServiceOptions.builder()
                    .authenticator(AuthFlavor.RPCSEC_GSS, GssAuthenticator.establishingOn(acceptor, creation))
                    .build());
            service.register(KvV1.program(new Store()));
            Listener listener = service.listen(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress address = (InetSocketAddress) listener.address();
            for (int round = 1; round <= config.rounds(); round++) {
                for (int size : SIZES) {
                    RpcBench.prefill(load, address, size, options(alice, null));
                    for (GssService flavor : FLAVORS) {
                        String scenario = "KV_GET " + (size == 100 ? "100 B" : "64 KiB");
                        progress.step(SECTION + " round " + round + " " + scenario + " " + name(flavor));
                        get(load, address, options(alice, flavor), size, scenario, name(flavor), round);
                    }
                }
                progress.step(SECTION + " round " + round + " context setups");
                setups(load, address, options(alice, GssService.NONE), round);
            }
            listener.close();
        } finally {
            load.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            server.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            creation.shutdownNow();
        }
    }

    private static String name(GssService flavor) {
        return flavor == null ? "AUTH_SYS" : flavor.krb5Name();
    }

    private static RpcClientOptions options(GssLogin login, GssService flavor) {
        RpcClientOptions.Builder b = RpcClientOptions.builder().callTimeout(Duration.ofSeconds(30));
        if (flavor == null) {
            return b.credential(Credential.authSys(new AuthSysCredential(0, "bench", 1000, 1000, new int[0]))).build();
        }
        return b.security(GssClient.builder(login, "kv@localhost").program(KvV1.PROGRAM, KvV1.VERSION)
                .service(flavor).build()).build();
    }

    private void get(EventPool load, InetSocketAddress address, RpcClientOptions options, int size, String scenario,
                     String flavor, int round) throws Exception {
        RpcBench.kvRun(load, address, options, CONNS, DEPTH, RpcBench.KV_GET, size, config.warmup(), null);
        RpcBench.LatencyRecorder latency = new RpcBench.LatencyRecorder();
        long[] errors = new long[1];
        long cpu0 = serverCpuNanos();
        double seconds = config.duration();
        double rate = RpcBench.kvRun(load, address, options, CONNS, DEPTH, RpcBench.KV_GET, size, seconds,
                new Object[] {latency, errors});
        long cpu = serverCpuNanos() - cpu0;
        String label = scenario + " (" + CONNS + " conn x " + DEPTH + ")";
        results.add(new Results.Sample(SECTION, label, 1, flavor, round, "calls/s", "1/s", rate,
                latency.percentile(50), latency.percentile(99), errors[0]));
        double calls = rate * seconds;
        if (calls > 0) {
            results.add(new Results.Sample(CPU, label, 1, flavor, round, "server CPU per call", "us",
                    cpu / 1e3 / calls, Double.NaN, Double.NaN, 0));
        }
    }

    /** Connect (creating a context), close (destroying it), one after another, for the run's duration. */
    private void setups(EventPool load, InetSocketAddress address, RpcClientOptions options, int round)
            throws Exception {
        long warmUntil = System.nanoTime() + (long) (config.warmup() * 1e9);
        while (System.nanoTime() - warmUntil < 0) {
            RpcClient.connect(load, address, options).get(30, TimeUnit.SECONDS).close();
        }
        long cpu0 = serverCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (config.duration() * 1e9);
        long done = 0;
        long errors = 0;
        while (System.nanoTime() - end < 0) {
            try {
                RpcClient.connect(load, address, options).get(30, TimeUnit.SECONDS).close();
                done++;
            } catch (java.util.concurrent.ExecutionException e) {
                errors++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = serverCpuNanos() - cpu0;
        String scenario = "context setup (connect, create, destroy)";
        results.add(new Results.Sample(SECTION, scenario, 1, "krb5", round, "setups/s", "1/s", done / elapsed,
                Double.NaN, Double.NaN, errors));
        if (done > 0) {
            results.add(new Results.Sample(CPU, scenario, 1, "krb5", round, "server CPU per setup", "us",
                    cpu / 1e3 / done, Double.NaN, Double.NaN, 0));
        }
    }

    /** The CPU time of the server's threads so far. */
    private long serverCpuNanos() {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(SERVER_THREADS)) {
                sum += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    /** KV version 1 over a map, for GET; the other procedures as kv.x says. */
    private static final class Store implements KvV1.Server {
        private final Map<String, byte[]> values = new ConcurrentHashMap<>();

        private static String key(byte[] k) {
            return new String(k, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean kvPut(RpcCall call, KvPair arg) {
            return values.put(key(arg.key()), arg.value()) == null;
        }

        @Override
        public KvGetResult kvGet(RpcCall call, byte[] arg) {
            byte[] v = values.get(key(arg));
            return v == null ? new KvGetResult.False() : new KvGetResult.True(v);
        }

        @Override
        public boolean kvDelete(RpcCall call, byte[] arg) {
            return values.remove(key(arg)) != null;
        }

        @Override
        public KvNode kvList(RpcCall call) {
            return null;
        }
    }
}
