package io.ripcord.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectRaceTest {

    /**
     * On loopback a connect often completes before the transport's first task runs on its poller; the
     * connection must still hear CONNECT once and then read.
     */
    @Test
    void connectThatCompletesBeforeTheFirstTaskIsDeliveredOnceAndThenReads() throws Exception {
        EventPool server = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
        EventPool client = EventPool.create(EventPoolOptions.builder().pollers(2).build()).start();
        try {
            TransportListener echo = new TransportListener() {
                @Override
                public void onMessage(Transport t, ByteBuffer m) {
                    t.send(m);
                }
            };
            Listener l = Listener.bind(server, new InetSocketAddress("127.0.0.1", 0), ListenerOptions.defaults(),
                    t -> echo);
            int n = 200;
            AtomicInteger connects = new AtomicInteger();
            List<CompletableFuture<Void>> echoed = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CompletableFuture<Void> back = new CompletableFuture<>();
                echoed.add(back);
                Connector.connect(client, l.address(), TransportOptions.defaults(), new TransportListener() {
                    @Override
                    public void onConnect(Transport t) {
                        connects.incrementAndGet();
                        t.send(ByteBuffer.wrap(new byte[] {42}));
                    }

                    @Override
                    public void onMessage(Transport t, ByteBuffer m) {
                        back.complete(null);
                    }
                });
            }
            CompletableFuture.allOf(echoed.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
            assertEquals(n, connects.get(), "CONNECT events");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
            server.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
        }
    }
}
