package io.ripcord.examples.demo;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.examples.echo.EchoServer;
import io.ripcord.examples.kv.KvProgram;
import io.ripcord.examples.kv.KvServer;
import io.ripcord.rpc.client.GfDumpClient;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.transport.Connector;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * {@code demo}: starts the example servers embedded on loopback (ephemeral ports), drives each with
 * Ripcord's own clients, prints what happened in a few lines and exits 0 (1 if anything went wrong).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the echo server and the KV RPC server on loopback, drives them with Ripcord's"
                + " clients and prints what happened.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EventPool clients = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("demo-client")
                .build()).start();
        try (EchoServer echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), 1, null);
             KvServer kv = KvServer.start("127.0.0.1", 0, 1, false)) {
            echo(out, clients, echo);
            kv(out, clients, kv);
            out.println("demo: all good");
            out.flush();
            return 0;
        } finally {
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
            for (String[] kvp : new String[][] {{"fruit/apple", "red"}, {"fruit/banana", "yellow"}, {"veg/leek", "green"}}) {
                c.callSync(KvProgram.PROGRAM, KvProgram.V2, KvProgram.KV_PUT, KvProgram::writePair,
                        new KvProgram.Pair(bytes(kvp[0]), bytes(kvp[1])), d -> d.readBoolean());
            }
            byte[] banana = c.callSync(KvProgram.PROGRAM, KvProgram.V1, KvProgram.KV_GET, KvProgram::writeKey,
                    bytes("fruit/banana"), KvProgram::readGetResult);
            List<String> keys = c.callSync(KvProgram.PROGRAM, KvProgram.V1, KvProgram.KV_LIST, KvProgram::readKeys)
                    .stream().map(DemoCommand::text).collect(Collectors.toList());
            List<KvProgram.Pair> fruit = c.callSync(KvProgram.PROGRAM, KvProgram.V2, KvProgram.KV_SCAN,
                    KvProgram::writeKey, bytes("fruit/"), KvProgram::readPairs);
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? "(none)" : new String(b, StandardCharsets.UTF_8);
    }
}
