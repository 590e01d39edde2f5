package io.ripcord.examples.demo;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.examples.echo.EchoServer;
import io.ripcord.examples.glusterd.GlusterDict;
import io.ripcord.examples.glusterd.GlusterdEndpoint;
import io.ripcord.examples.glusterd.xdr.GfCliReq;
import io.ripcord.examples.glusterd.xdr.GfCliRsp;
import io.ripcord.examples.glusterd.xdr.GlusterCliV2;
import io.ripcord.examples.kv.KvServer;
import io.ripcord.examples.kv.xdr.KvGetResult;
import io.ripcord.examples.kv.xdr.KvNode;
import io.ripcord.examples.kv.xdr.KvPair;
import io.ripcord.examples.kv.xdr.KvV1;
import io.ripcord.examples.kv.xdr.KvV2;
import io.ripcord.rpc.client.GfDumpClient;
import io.ripcord.rpc.auth.GlusterCredential;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.client.RpcClientOptions;
import io.ripcord.transport.Connector;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: starts the example servers embedded on loopback (ephemeral ports, a temporary state file for
 * the glusterd endpoint), drives each with
 * Ripcord's own clients, prints what happened in a few lines and exits 0 (1 if anything went wrong).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the echo server, the KV RPC server and the glusterd endpoint on loopback, drives"
                + " them with Ripcord's clients and prints what happened.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EventPool clients = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("demo-client")
                .build()).start();
        Path dir = Files.createTempDirectory("ripcord-demo");
        try (EchoServer echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), 1, null);
             KvServer kv = KvServer.start("127.0.0.1", 0, 1, false);
             GlusterdEndpoint glusterd = GlusterdEndpoint.start(dir.resolve("glusterd.socket"),
                     new InetSocketAddress("127.0.0.1", 0), dir.resolve("glusterd.state"))) {
            echo(out, clients, echo);
            kv(out, clients, kv);
            glusterd(out, clients, glusterd, dir);
            out.println("demo: all good");
            out.flush();
            return 0;
        } finally {
            deleteTree(dir);
            clients.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    private static void echo(PrintWriter out, EventPool pool, EchoServer server) throws Exception {
        int rounds = 1000;
        byte[] msg = "ripcord echo!".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Long> done = new CompletableFuture<>();
        long t0 = System.nanoTime();
        Transport t = Connector.connect(pool, server.address(), TransportOptions.defaults(), new TransportListener() {
            private int received;
            private int count;

            @Override
            public void onMessage(Transport tr, ByteBuffer m) {
                for (int i = m.position(); i < m.limit(); i++) {
                    if (m.get(i) != msg[received % msg.length]) {
                        done.completeExceptionally(new IllegalStateException("echoed byte " + received + " differs"));
                        return;
                    }
                    received++;
                }
                while (received >= (count + 1) * msg.length) {
                    count++;
                    if (count == rounds) {
                        done.complete(System.nanoTime() - t0);
                        return;
                    }
                    tr.send(ByteBuffer.wrap(msg));
                }
            }
        }).get(5, TimeUnit.SECONDS);
        t.send(ByteBuffer.wrap(msg));
        long nanos = done.get(10, TimeUnit.SECONDS);
        t.close();
        out.printf("echo:  %s, %d round trips of %d bytes, every byte checked, %.1f us each%n",
                server.address(), rounds, msg.length, nanos / 1000.0 / rounds);
    }

    private static void kv(PrintWriter out, EventPool pool, KvServer server) throws Exception {
        try (RpcClient c = RpcClient.connect(pool, server.tcpAddress()).get(5, TimeUnit.SECONDS)) {
            KvV1.Client v1 = new KvV1.Client(c);
            KvV2.Client v2 = new KvV2.Client(c);
            for (String[] kvp : new String[][] {{"fruit/apple", "red"}, {"fruit/banana", "yellow"}, {"veg/leek", "green"}}) {
                v2.kvPut(new KvPair(bytes(kvp[0]), bytes(kvp[1])));
            }
            byte[] banana = v1.kvGet(bytes("fruit/banana")) instanceof KvGetResult.True found ? found.value() : null;
            List<String> keys = new ArrayList<>();
            for (KvNode n = v1.kvList(); n != null; n = n.next()) {
                keys.add(text(n.key()));
            }
            List<KvPair> fruit = v2.kvScan(bytes("fruit/"));
            out.printf("kv:    %s, PUT 3 keys, GET fruit/banana = %s, LIST = %s, SCAN fruit/ = %d pairs%n",
                    server.tcpAddress(), text(banana), keys, fruit.size());
            List<GfDumpClient.Program> programs = GfDumpClient.dump(c).get(5, TimeUnit.SECONDS);
            out.printf("dump:  GF-DUMP lists %s%n", programs.stream()
                    .map(p -> p.name() + " " + p.program() + " v" + p.version()).collect(Collectors.toList()));
            if (banana == null || !Arrays.equals(banana, bytes("yellow")) || keys.size() != 3 || fruit.size() != 2) {
                throw new IllegalStateException("the KV store answered wrongly");
            }
        }
    }

    /** Does what {@code gluster volume create demo HOST:DIR force} and {@code gluster volume list} send. */
    private static void glusterd(PrintWriter out, EventPool pool, GlusterdEndpoint glusterd, Path dir)
            throws Exception {
        Path socket = dir.resolve("glusterd.socket");
        Path brick = Files.createDirectories(dir.resolve("bricks")).resolve("b1");
        String host = InetAddress.getLocalHost().getHostName();
        RpcClientOptions cli = RpcClientOptions.builder()
                .credential(Credential.glusterV2(new GlusterCredential(0, 0, 0, new int[0], new byte[4]))).build();
        try (RpcClient c = RpcClient.connect(pool, UnixDomainSocketAddress.of(socket), cli).get(5, TimeUnit.SECONDS)) {
            GlusterDict create = GlusterDict.builder().put("volname", "demo").put("count", 1)
                    .put("bricks", " " + host + ":" + brick).put("type", 0).put("force", 1).build();
            GlusterCliV2.Client cliClient = new GlusterCliV2.Client(c);
            GfCliRsp created = cliClient.glusterCliCreateVolume(new GfCliReq(create.encode()));
            GfCliRsp list = cliClient.glusterCliListVolume(new GfCliReq(GlusterDict.EMPTY.encode()));
            String volume0 = GlusterDict.decode(ByteBuffer.wrap(list.dict())).get("volume0");
            out.printf("gluster: %s, volume create demo %s:%s force -> op_ret %d%s; volume list -> %s%n", socket,
                    host, brick, created.opRet(), created.opErrstr().isEmpty() ? "" : " (" + created.opErrstr() + ")",
                    volume0);
            if (created.opRet() != 0 || !"demo".equals(volume0)) {
                throw new IllegalStateException("the glusterd endpoint answered wrongly");
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? "(none)" : new String(b, StandardCharsets.UTF_8);
    }
}
