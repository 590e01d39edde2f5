package io.ripcord.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The echo path allocates nothing per message in steady state (bytes counted on the poller thread). */
class EchoAllocationTest {

    private static final TransportListener ECHO = (t, m) -> t.send(m);

    @Test
    void echoingAllocatesNothingPerMessageOnThePoller() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(),
                "this JVM cannot count allocated bytes per thread");
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("alloc-echo")
                .blockedPollerThreshold(Duration.ZERO).build()).start();
        try (Listener l = Listener.bind(pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ListenerOptions.defaults(), t -> ECHO);
             Socket s = new Socket()) {
            s.connect(l.address(), 5000);
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] msg = new byte[64];
            byte[] back = new byte[64];
            long poller = pollerThreadId("alloc-echo-0");
            for (int i = 0; i < 20_000; i++) {
                msg[0] = (byte) i;
                out.write(msg);
                in.readFully(back);
            }
            long before = threads.getThreadAllocatedBytes(poller);
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                msg[0] = (byte) i;
                msg[63] = (byte) (i >> 8);
                out.write(msg);
                in.readFully(back);
                if (i % 4096 == 0) {
                    assertArrayEquals(msg, back);
                }
            }
            long perMessage = (threads.getThreadAllocatedBytes(poller) - before) / n;
            assertTrue(perMessage < 2, "the poller allocated " + perMessage + " bytes per echoed message");
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    private static long pollerThreadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
