package io.ripcord.rpc.reliability;

import static io.ripcord.rpc.reliability.ServiceFixture.incCall;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.transport.DatagramEndpoint;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue #6 over UDP (one call per datagram, no record marking): a flood of random, truncated, mutated and
 * padded calls at {@code RpcService.listenUdp}. The server answers each datagram at most once, never with more
 * bytes than it was sent in all (no amplification for a spoofed sender to exploit), keeps no pooled buffers for
 * it, and still answers a valid call afterwards. The answers to each kind of malformed call are checked one by
 * one in {@code RpcServiceTest}, whose every round trip also goes over UDP.
 */
class HostileDatagramsTest {

    private static final Logger log = LoggerFactory.getLogger(HostileDatagramsTest.class);
    private static final int DATAGRAMS = 20_000;
    /** The largest reply a call to the fixture's program can get: PROG_MISMATCH (xid .. high) or INC's result. */
    private static final int MAX_REPLY = 32;

    @Test
    void aFloodOfMalformedDatagramsGetsAtMostOneSmallReplyEachAndTheServiceStillAnswers() throws Exception {
        try (ServiceFixture server = new ServiceFixture(1, ServiceFixture.limits(64 * 1024));
             DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DatagramEndpoint udp = server.service.listenUdp(server.pool,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                client.setReceiveBufferSize(4 << 20);
                client.setSoTimeout(100);
                AtomicInteger replies = new AtomicInteger();
                AtomicLong replyBytes = new AtomicLong();
                AtomicInteger oversized = new AtomicInteger();
                AtomicLong alive = new AtomicLong(-1);
                Thread reader = new Thread(() -> read(client, replies, replyBytes, oversized, alive), "udp-reader");
                reader.setDaemon(true);
                reader.start();
                long buffersBefore = server.pooledBuffersAllocated();

                Random random = new Random(6);
                long sentBytes = 0;
                int[] kinds = new int[4];
                for (int i = 0; i < DATAGRAMS; i++) {
                    int kind = random.nextInt(4);
                    kinds[kind]++;
                    byte[] d = hostile(kind, i, random);
                    sentBytes += d.length;
                    client.send(new DatagramPacket(d, d.length, udp.address()));
                }
                // The service still answers: a valid call, resent until its reply is back (UDP may drop either).
                byte[] valid = incCall(0x7A11_7E, 41);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    client.send(new DatagramPacket(valid, valid.length, udp.address()));
                    return alive.get() == 42;
                });
                int answered = replies.get() - 1; // the last one answered the valid call
                log.info("UDP flood: {} datagrams ({} random, {} mutated, {} truncated, {} padded; {} bytes); the "
                                + "server handled {} (the rest overflowed its socket buffer) and sent {} replies; {} "
                                + "arrived ({} bytes, {}x what was sent); INC calls dispatched: {}", DATAGRAMS,
                        kinds[0], kinds[1], kinds[2], kinds[3], sentBytes, udp.received(), udp.sent(), answered,
                        replyBytes.get(),
                        String.format(java.util.Locale.ROOT, "%.3f", replyBytes.get() / (double) sentBytes),
                        server.incCalls.get());
                assertEquals(0, udp.handlerFailures(), "the dispatcher threw on a datagram");
                assertTrue(udp.sent() <= udp.received(), udp.sent() + " replies to " + udp.received()
                        + " datagrams handled");
                assertEquals(0, oversized.get(), "replies over " + MAX_REPLY + " bytes");
                assertTrue(answered <= DATAGRAMS, answered + " replies to " + DATAGRAMS + " datagrams");
                assertTrue(replyBytes.get() <= sentBytes, "the replies outweigh the datagrams");
                assertTrue(answered > 0, "no malformed call was answered at all: the flood did not arrive");
                assertTrue(server.pooledBuffersAllocated() - buffersBefore <= 1, "pooled buffers kept");
            } finally {
                udp.close();
            }
        }
    }

    /** Reads replies until the socket closes; records the valid call's result in {@code alive}. */
    private static void read(DatagramSocket client, AtomicInteger replies, AtomicLong replyBytes,
                             AtomicInteger oversized, AtomicLong alive) {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        while (!client.isClosed()) {
            try {
                client.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (java.io.IOException e) {
                return; // closed
            }
            replies.incrementAndGet();
            replyBytes.addAndGet(p.getLength());
            if (p.getLength() > MAX_REPLY) {
                oversized.incrementAndGet();
            }
            ByteBuffer r = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            if (p.getLength() == 28 && r.getInt(0) == 0x7A11_7E && r.getInt(20) == 0) {
                alive.set(r.getInt(24));
            }
        }
    }

    /** 0: random bytes; 1: a valid call with 1 to 4 bytes changed; 2: a valid call cut short; 3: one padded. */
    private static byte[] hostile(int kind, int i, Random random) {
        byte[] call = ServiceFixture.call(i, 1 + random.nextInt(3), ByteBuffer.allocate(8).putInt(4)
                .putInt(random.nextInt()).array());
        switch (kind) {
            case 0: {
                byte[] d = new byte[random.nextInt(1500)];
                random.nextBytes(d);
                return d;
            }
            case 1: {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    call[random.nextInt(call.length)] = (byte) random.nextInt(256);
                }
                return call;
            }
            case 2:
                return Arrays.copyOf(call, random.nextInt(call.length));
            default: {
                byte[] d = Arrays.copyOf(call, call.length + 1 + random.nextInt(64));
                for (int k = call.length; k < d.length; k++) {
                    d[k] = (byte) random.nextInt(256);
                }
                return d;
            }
        }
    }
}
