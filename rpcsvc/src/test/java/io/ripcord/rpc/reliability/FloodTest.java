package io.ripcord.rpc.reliability;

import static io.ripcord.rpc.reliability.ServiceFixture.incCall;
import static io.ripcord.rpc.reliability.ServiceFixture.record;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.transport.TransportOptions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #6, floods: a client pipelines calls and never reads a reply. The service must stop reading it
 * (outstanding limit, counted until replies are written) so its queued bytes stay bounded, and serve other
 * clients meanwhile.
 */
class FloodTest {

    private static final Logger log = LoggerFactory.getLogger(FloodTest.class);
    private static final int CALLS = 100_000;
    /** An INC reply on the wire: record mark, xid, REPLY, MSG_ACCEPTED, null verifier (2), SUCCESS, result. */
    private static final int REPLY_BYTES = 4 + 7 * 4;

    @Test
    void aClientThatNeverReadsItsRepliesCannotGrowTheServersQueue() throws Exception {
        RpcServiceOptions options = RpcServiceOptions.builder().maxRecordSize(64 * 1024).build();
        TransportOptions transport = options.listenerOptions().transportOptions();
        try (ServiceFixture server = new ServiceFixture(2, options); Socket flood = server.connect()) {
            flood.setReceiveBufferSize(4096); // reply bytes pile up on the server soon
            AtomicLong sent = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = new BufferedOutputStream(flood.getOutputStream(), 64 * 1024);
                    for (int i = 0; i < CALLS; i++) {
                        out.write(record(incCall(i, i)));
                        sent.incrementAndGet();
                    }
                    out.flush();
                } catch (IOException e) {
                    // the socket was closed under a blocked write at the end of the test
                }
            }, "flood");
            writer.start();
            // Until the server has stopped taking calls: nothing new dispatched in half a second.
            AtomicLong seen = new AtomicLong(-1);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> server.incCalls.get() == seen.getAndSet(server.incCalls.get()));
            long dispatched = server.incCalls.get();
            for (int i = 0; i < 5; i++) {
                server.assertServed(); // another client is served while the flood stalls
            }
            long bound = (long) options.outstandingLimit() * REPLY_BYTES + transport.writeHighWatermark();
            long maxQueued = server.maxQueuedBytes.get();
            log.info("flood: {} calls written by the client (of {}), {} dispatched before the server stopped "
                    + "reading, at most {} bytes queued for it (bound {})", sent.get(), CALLS, dispatched, maxQueued,
                    bound);
            assertTrue(maxQueued <= bound, "queued " + maxQueued + " bytes for a client that does not read, over "
                    + bound);
            assertTrue(dispatched < CALLS, "the server took every call: nothing was throttled");
            flood.setSoLinger(true, 0);
            flood.close();
            writer.join(30_000);
            assertTrue(!writer.isAlive(), "the flooding writer did not end");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertEquals(1, server.pool.openSlots(), "slots besides the listener's"));
        }
    }
}
