package io.ripcord.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.transport.Connector;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import io.ripcord.transport.TransportOptions;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketEchoTest {

    @TempDir
    Path dir;

    @Test
    void unixSocketEchoReturnsTheSameBytes() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
        byte[] hello = "hello over a unix domain socket".getBytes(StandardCharsets.US_ASCII);
        try (EchoServer server = EchoServer.start(address, 1, null)) {
            assertEquals(address, server.address());
            EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
            try {
                CompletableFuture<byte[]> echoed = new CompletableFuture<>();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                TransportListener l = new TransportListener() {
                    @Override
                    public void onConnect(Transport t) {
                        t.send(ByteBuffer.wrap(hello));
                    }

                    @Override
                    public void onMessage(Transport t, ByteBuffer m) {
                        byte[] b = new byte[m.remaining()];
                        m.get(b);
                        got.writeBytes(b);
                        if (got.size() >= hello.length) {
                            echoed.complete(got.toByteArray());
                        }
                    }
                };
                Transport t = Connector.connect(pool, address, TransportOptions.defaults(), l).get(10, TimeUnit.SECONDS);
                assertArrayEquals(hello, echoed.get(10, TimeUnit.SECONDS));
                t.close();
            } finally {
                pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
            }
        }
    }

    @Test
    void echoLoadRunsOverAUnixDomainSocket() throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("load.sock"));
        try (EchoServer server = EchoServer.start(address, 1, null)) {
            EchoLoad load = new EchoLoad(address, 3, 200, 4, Duration.ofMillis(500), Duration.ZERO, 1, false);
            EchoResult r = EchoClient.run(load, null);
            assertEquals(0, r.errors());
            assertEquals(0, r.stalledConnections(), "connections that completed nothing");
            assertTrue(r.messages() > 0);
        }
    }
}
