package io.ripcord.benchmarks;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.ConnectionSetup;
import io.ripcord.rpc.client.GfDumpClient;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.rpc.tls.RpcTlsClient;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * RPC-with-TLS (RFC 9289) against plaintext, section {@code rpc-tls}: GF-DUMP PING and KV GET pipelined, and
 * connect-probe-handshake-call-close (connect, AUTH_TLS probe, TLS 1.3 handshake, one PING, close), each against
 * {@code rpc-server --tls} (1 poller) and a plaintext {@code rpc-server} (1 poller), alternating, fresh each round.
 * The load is {@link RpcClient} with {@link RpcTlsClient} in this JVM (1 poller; the client's TLS work, delegated
 * tasks included, runs here too). The server's CPU time per call or per connection is section
 * {@code rpc-tls-cpu}; the handshake cost per connection is the difference of its connect-call-close rows, stated
 * in the section's notes.
 */
final class TlsRpcBench {

    static final String SECTION = "rpc-tls";
    static final String CPU = "rpc-tls-cpu";
    static final String TLS = "ripcord-tls";
    static final String PLAIN = "ripcord-plain";

    private static final int KV_PROGRAM = 0x20000B0B;
    private static final int KV_PUT = 1;
    private static final int KV_GET = 2;
    private static final int KEYS = 1000;
    private static final String PING_PIPELINED = "GF-DUMP PING, 8 conn x 8 in flight";
    private static final String KV_GET_PIPELINED = "KV GET 100 B, 4 conn x 16 in flight";
    private static final int[] CCC_CLIENTS = {1, 16};

    private final AllCommand.Config config;
    private final Results results;
    private final Progress progress;
    /** Server CPU per connection of the 1-client connect-call-close runs, per server kind. */
    private final List<Double> tlsPerConnection = new ArrayList<>();
    private final List<Double> plainPerConnection = new ArrayList<>();

    TlsRpcBench(AllCommand.Config config, Results results, Progress progress) {
        this.config = config;
        this.results = results;
        this.progress = progress;
    }

    static int plannedSteps(AllCommand.Config c) {
        return c.rounds() * 2 * (2 + CCC_CLIENTS.length);
    }

    void run() throws Exception {
        results.note(SECTION, String.format(Locale.ROOT, "load: RpcClient in the orchestrating JVM (1 poller), "
                + "with RpcTlsClient (TLS required, TLS 1.3, ALPN sunrpc, the server's certificate verified) for "
                + "%s; the client's TLS runs in this JVM, on the same 2 cores. Servers: `rpc-server --pollers 1 "
                + "--tls` (KV requires TLS; demonstration certificates, EC P-256) and `rpc-server --pollers 1`, "
                + "alternating, fresh each round, warmed up %.1f s unmeasured. Pipelined: every connection keeps its "
                + "calls in flight; connect-probe-handshake-call-close: a new RpcClient (connect, AUTH_TLS probe, "
                + "handshake), one GF-DUMP PING, close; N clients do that in a loop at once. conn/s counts whole "
                + "cycles.", TLS, config.warmup()));
        results.note(CPU, "The same runs: the server process's CPU time (user + system, all threads, "
                + "/proc/<pid>/stat, 10 ms ticks) over the measured run, per call answered (pipelined) or per "
                + "connection cycled (connect-call-close). Lower is better.");
        Path dir = Files.createTempDirectory("rpc-tls-bench");
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("tls-load").build())
                .start();
        try {
            for (int round = 1; round <= config.rounds(); round++) {
                for (boolean tls : new boolean[] {true, false}) {
                    measure(pool, dir, round, tls);
                }
            }
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            deleteTree(dir);
        }
        if (!tlsPerConnection.isEmpty() && !plainPerConnection.isEmpty()) {
            results.note(SECTION, String.format(Locale.ROOT, "handshake cost per connection (server CPU, median of "
                    + "connect-probe-handshake-call-close with 1 client, TLS minus plaintext): %.0f us",
                    median(tlsPerConnection) - median(plainPerConnection)));
        }
    }

    private void measure(EventPool pool, Path dir, int round, boolean tls) throws Exception {
        String server = tls ? TLS : PLAIN;
        List<String> command = new ArrayList<>(List.of(config.examplesJar().toString(), "rpc-server", "--port", "0",
                "--pollers", "1"));
        if (tls && Files.exists(dir.resolve("server.p12"))) {
            command.addAll(List.of("--tls", "--keystore", dir.resolve("server.p12").toString(), "--truststore",
                    dir.resolve("ca.pem").toString()));
        } else if (tls) {
            command.addAll(List.of("--tls", "--tls-dir", dir.toString())); // made once, reused in later rounds
        }
        try (ServerProcess s = ServerProcess.start("rpc-server", List.of(), command)) {
            ConnectionSetup setup = tls ? RpcTlsClient.builder(trusting(dir.resolve("ca.pem"))).build() : null;
            RpcClientOptions options = RpcClientOptions.builder().connectionSetup(setup)
                    .callTimeout(Duration.ofSeconds(30)).build();
            InetSocketAddress address = s.address();
            prefill(pool, address, options);

            progress.step("rpc-tls round " + round + " " + server + " ping pipelined");
            Pipelined ping = new Pipelined(pool, address, options, 8, 8, GfDumpClient::ping);
            pipelined(ping, PING_PIPELINED, server, round, s.pid());

            progress.step("rpc-tls round " + round + " " + server + " kv get pipelined");
            Pipelined get = new Pipelined(pool, address, options, 4, 16, TlsRpcBench::kvGet);
            pipelined(get, KV_GET_PIPELINED, server, round, s.pid());

            for (int clients : CCC_CLIENTS) {
                progress.step("rpc-tls round " + round + " " + server + " connect-call-close x" + clients);
                ConnectCallClose ccc = new ConnectCallClose(pool, address, options, clients);
                ccc.run(config.warmup());
                long cpu0 = CpuTime.ofProcess(s.pid());
                ConnectCallClose.Outcome o = ccc.run(config.duration());
                long cpu1 = CpuTime.ofProcess(s.pid());
                String scenario = "connect-probe-handshake-call-close, " + clients
                        + (clients == 1 ? " client" : " clients");
                results.add(new Results.Sample(SECTION, scenario, 1, server, round, "conn/s", "1/s", o.rate(),
                        o.latency().percentile(50), o.latency().percentile(99), o.errors()));
                if (cpu0 >= 0 && cpu1 >= 0 && o.cycles() > 0) {
                    double perConnection = (cpu1 - cpu0) / 1e3 / o.cycles();
                    results.add(new Results.Sample(CPU, scenario, 1, server, round, "server CPU per conn", "us",
                            perConnection, Double.NaN, Double.NaN, 0));
                    if (clients == 1) {
                        (tls ? tlsPerConnection : plainPerConnection).add(perConnection);
                    }
                }
            }
        }
    }

    private void pipelined(Pipelined load, String scenario, String server, int round, long pid) throws Exception {
        load.run(config.warmup());
        long cpu0 = CpuTime.ofProcess(pid);
        Pipelined.Outcome o = load.run(config.duration());
        long cpu1 = CpuTime.ofProcess(pid);
        results.add(new Results.Sample(SECTION, scenario, 1, server, round, "calls/s", "1/s", o.rate(),
                o.latency().percentile(50), o.latency().percentile(99), o.errors()));
        if (cpu0 >= 0 && cpu1 >= 0 && o.calls() > 0) {
            results.add(new Results.Sample(CPU, scenario, 1, server, round, "server CPU per call", "us",
                    (cpu1 - cpu0) / 1e3 / o.calls(), Double.NaN, Double.NaN, 0));
        }
    }

    /** A client context that trusts the certificates in {@code pem} (the demonstration authority). */
    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Stores keys {@code k0..k999} with 100-byte values, so that every GET finds one. */
    private static void prefill(EventPool pool, InetSocketAddress address, RpcClientOptions options)
            throws Exception {
        byte[] value = new byte[100];
        try (RpcClient c = RpcClient.connect(pool, address, options).get(30, TimeUnit.SECONDS)) {
            List<CompletableFuture<Boolean>> puts = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                byte[] key = ("k" + k).getBytes(StandardCharsets.UTF_8);
                puts.add(c.call(KV_PROGRAM, 1, KV_PUT, (XdrEncoder e, byte[] v) -> {
                    e.writeOpaque(key, 255);
                    e.writeOpaque(v, 1 << 20);
                }, value, d -> d.readBoolean()));
            }
            CompletableFuture.allOf(puts.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        }
    }

    private static final AtomicLong KEY = new AtomicLong();

    /** A KV GET of one of the prefilled keys; fails unless it finds a 100-byte value. */
    private static CompletableFuture<?> kvGet(RpcClient c) {
        byte[] key = ("k" + Math.floorMod(KEY.incrementAndGet(), KEYS)).getBytes(StandardCharsets.UTF_8);
        return c.call(KV_PROGRAM, 1, KV_GET, (XdrEncoder e, byte[] k) -> e.writeOpaque(k, 255), key,
                d -> d.readBoolean() ? d.readOpaque(1 << 20) : null).thenApply(v -> {
                    if (v == null || v.length != 100) {
                        throw new IllegalStateException("KV GET found " + (v == null ? "nothing" : v.length + " bytes"));
                    }
                    return v;
                });
    }

    private static double median(List<Double> values) {
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Connections that each keep {@code depth} calls in flight for a while. */
    private static final class Pipelined {
        record Outcome(double rate, long calls, long errors, RpcBench.LatencyRecorder latency) {
        }

        private final EventPool pool;
        private final InetSocketAddress address;
        private final RpcClientOptions options;
        private final int connections;
        private final int depth;
        private final Function<RpcClient, CompletableFuture<?>> call;

        Pipelined(EventPool pool, InetSocketAddress address, RpcClientOptions options, int connections, int depth,
                  Function<RpcClient, CompletableFuture<?>> call) {
            this.pool = pool;
            this.address = address;
            this.options = options;
            this.connections = connections;
            this.depth = depth;
            this.call = call;
        }

        Outcome run(double seconds) throws Exception {
            List<RpcClient> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(RpcClient.connect(pool, address, options).get(30, TimeUnit.SECONDS));
            }
            RpcBench.LatencyRecorder latency = new RpcBench.LatencyRecorder();
            AtomicLong done = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong inFlight = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            long start = System.nanoTime();
            for (RpcClient c : clients) {
                for (int d = 0; d < depth; d++) {
                    inFlight.incrementAndGet();
                    next(c, latency, done, errors, inFlight, stop);
                }
            }
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            long elapsed = System.nanoTime() - start;
            long calls = done.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            clients.forEach(RpcClient::close);
            return new Outcome(calls / (elapsed / 1e9), calls, errors.get() + inFlight.get(), latency);
        }

        private void next(RpcClient c, RpcBench.LatencyRecorder latency, AtomicLong done, AtomicLong errors,
                          AtomicLong inFlight, AtomicBoolean stop) {
            long t0 = System.nanoTime();
            call.apply(c).whenComplete((r, e) -> {
                if (e != null) {
                    errors.incrementAndGet();
                } else {
                    done.incrementAndGet();
                    latency.record(System.nanoTime() - t0);
                }
                if (stop.get() || e != null) {
                    inFlight.decrementAndGet();
                } else {
                    next(c, latency, done, errors, inFlight, stop);
                }
            });
        }
    }

    /** {@code clients} loops of: a new client (connect, and its setup), one PING, close. */
    private static final class ConnectCallClose {
        record Outcome(double rate, long cycles, long errors, RpcBench.LatencyRecorder latency) {
        }

        private final EventPool pool;
        private final InetSocketAddress address;
        private final RpcClientOptions options;
        private final int clients;

        ConnectCallClose(EventPool pool, InetSocketAddress address, RpcClientOptions options, int clients) {
            this.pool = pool;
            this.address = address;
            this.options = options;
            this.clients = clients;
        }

        Outcome run(double seconds) throws Exception {
            RpcBench.LatencyRecorder latency = new RpcBench.LatencyRecorder();
            AtomicLong cycles = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong running = new AtomicLong(clients);
            AtomicBoolean stop = new AtomicBoolean();
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                cycle(latency, cycles, errors, running, stop);
            }
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            long elapsed = System.nanoTime() - start;
            long done = cycles.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return new Outcome(done / (elapsed / 1e9), done, errors.get(), latency);
        }

        private void cycle(RpcBench.LatencyRecorder latency, AtomicLong cycles, AtomicLong errors, AtomicLong running,
                           AtomicBoolean stop) {
            long t0 = System.nanoTime();
            RpcClient.connect(pool, address, options)
                    .thenCompose(c -> GfDumpClient.ping(c).whenComplete((r, e) -> c.close()))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            errors.incrementAndGet();
                        } else {
                            cycles.incrementAndGet();
                            latency.record(System.nanoTime() - t0);
                        }
                        if (stop.get()) {
                            running.decrementAndGet();
                        } else {
                            cycle(latency, cycles, errors, running, stop);
                        }
                    });
        }
    }
}
