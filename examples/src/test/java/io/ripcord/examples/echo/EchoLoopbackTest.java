package io.ripcord.examples.echo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import io.ripcord.transport.Transport;
import io.ripcord.transport.TransportListener;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EchoLoopbackTest {

    @Test
    void echoLoadOverTcpSeesEveryByteBackUnchanged() throws Exception {
        try (EchoServer server = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), 2, null)) {
            // 1000 bytes: not a multiple of the 8-byte pattern word, and several messages per read at depth 8.
            EchoLoad load = new EchoLoad(server.address(), 4, 1000, 8, Duration.ofSeconds(1), Duration.ZERO, 2,
                    false);
            EchoResult r = EchoClient.run(load, null);
            assertEquals(0, r.mismatches(), "mismatched connections");
            assertEquals(0, r.failedConnections(), "failed connections");
            assertEquals(0, r.stalledConnections(), "connections that completed nothing");
            assertTrue(r.messages() > 0, "no message came back");
            assertEquals(r.messages(), r.latencyNanos().getTotalCount());
        }
    }

    @Test
    void clientReportsAMismatchWhenTheServerCorruptsOneByte() throws Exception {
        AtomicLong seen = new AtomicLong();
        TransportListener corrupting = new TransportListener() {
            @Override
            public void onMessage(Transport t, ByteBuffer m) {
                ByteBuffer copy = ByteBuffer.allocate(m.remaining()).put(m).flip();
                // Flip one bit somewhere past the first kilobyte echoed: the client must notice it.
                long before = seen.getAndAdd(copy.remaining());
                if (before <= 1024 && before + copy.remaining() > 1024) {
                    int at = (int) (1024 - before);
                    copy.put(at, (byte) (copy.get(at) ^ 0x10));
                }
                t.send(copy);
            }
        };
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
        try {
            Listener l = Listener.bind(pool, new InetSocketAddress("127.0.0.1", 0), ListenerOptions.defaults(),
                    t -> corrupting);
            EchoLoad load = new EchoLoad(l.address(), 1, 64, 2, Duration.ofMillis(500), Duration.ZERO, 1, false);
            EchoResult r = EchoClient.run(load, null);
            assertEquals(1, r.mismatches());
            assertEquals(0, r.failedConnections(), "a mismatch is not also a failed connection");
            assertEquals(1, r.errors());
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).join();
        }
    }

    @Test
    void aPlainClientAgainstATlsServerIsToldTheServerSpeaksTls() throws Exception {
        try (EchoServer server = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), 1, EchoServer.demoTls())) {
            EchoLoad load = new EchoLoad(server.address(), 1, 64, 1, Duration.ofMillis(500), Duration.ZERO, 1,
                    false);
            EchoResult r = EchoClient.run(load, null);
            assertEquals(1, r.errors(), String.valueOf(r.firstMismatch()));
            assertTrue(r.firstMismatch() != null
                    && r.firstMismatch().endsWith("(a TLS record: the server speaks TLS; use --tls)"),
                    String.valueOf(r.firstMismatch()));
        }
    }

    @Test
    void patternDiffersBetweenConsecutiveMessagesEvenWhenShort() {
        for (int size : new int[] {1, 7, 8, 13, 64}) {
            ByteBuffer a = ByteBuffer.allocate(size);
            ByteBuffer b = ByteBuffer.allocate(size);
            EchoClient.fill(a, 3, 41, size);
            EchoClient.fill(b, 3, 42, size);
            assertTrue(a.mismatch(b) >= 0, "messages 41 and 42 look the same at size " + size);
        }
    }
}
