package io.ripcord.rpc.tls;

import static io.ripcord.rpc.tls.RawPeer.STAR;
import static io.ripcord.rpc.tls.RawPeer.TTLS;
import static io.ripcord.rpc.tls.TlsServerFixture.PLAIN;
import static io.ripcord.rpc.tls.TlsServerFixture.PROG;
import static io.ripcord.rpc.tls.TlsServerFixture.TLS;
import static io.ripcord.rpc.tls.TlsServerFixture.WHO;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.AuthStat;
import io.ripcord.rpc.Wire;
import io.ripcord.testsupport.TestPki;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Listener;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and mistaken RPC-with-TLS peers against our server, byte by byte: each gets RFC 9289's answer or a close,
 * nothing is ever served in the clear after a probe, and every connection that was accepted is disconnected once.
 */
class RpcTlsHostileTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String[] TLS13 = {"TLSv1.3"};
    /** MSG_DENIED, AUTH_ERROR: a denied reply's words after xid and REPLY (RFC 5531 section 9). */
    private static final int MSG_DENIED = 1;
    private static final int AUTH_ERROR = 1;

    private final TestPki pki = TestPki.get();
    private TlsServerFixture server;
    /** Connections accepted by listeners a test bound besides the fixture's. */
    private long acceptedElsewhere;

    @AfterEach
    void noConnectionLeaks() throws Exception {
        if (server != null) {
            await().atMost(WAIT).until(() -> server.listener.connectionCount() == 0);
            assertEquals(server.listener.acceptedCount() + acceptedElsewhere, server.disconnects.size(),
                    "one DISCONNECT per connection");
            server.close();
        }
    }

    private void serve(RpcTlsServer.Builder tls) throws Exception {
        server = new TlsServerFixture(tls == null ? null : tls.build());
    }

    private RpcTlsServer.Builder tlsServer() {
        return RpcTlsServer.builder(pki.serverContext());
    }

    private RawPeer connect() throws IOException {
        return new RawPeer(server.address());
    }

    private static int[] startTls(int xid) {
        return new int[] {xid, 1, 0, AuthFlavor.AUTH_NONE, 8, STAR, TTLS, 0};
    }

    private static int[] denied(int xid, int authStat) {
        return new int[] {xid, 1, MSG_DENIED, AUTH_ERROR, authStat};
    }

    /** After the probe's reply the peer failed TLS: the server closed it and served nothing. */
    private void assertClosedServingNothing(RawPeer peer, DisconnectCause cause) throws IOException {
        byte[] rest = peer.untilClosed();
        assertTrue(RawPeer.onlyTlsAlerts(rest), "after STARTTLS only TLS alerts, no RPC reply: " + rest.length + " bytes");
        await().atMost(WAIT).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(cause), server.disconnects);
        assertEquals(0, server.actorRuns.get(), "nothing was served in the clear");
        assertTrue(server.identified.isEmpty());
    }

    @Test
    void plaintextBehindTheProbeInTheSameSegmentIsNeverServedAndEndsTheConnection() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1), RawPeer.call(2, PROG, PLAIN, WHO), RawPeer.call(3, PROG, PLAIN, 0));
            assertArrayEquals(startTls(1), peer.reply());
            assertClosedServingNothing(peer, DisconnectCause.PROTOCOL);
        }
    }

    @Test
    void aHandshakeThatNeverFinishesIsCutOffByTheHandshakeTimeout() throws Exception {
        serve(tlsServer().handshakeTimeout(Duration.ofMillis(300)));
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1), new byte[] {22, 3, 1}); // a handshake record's first bytes, and silence
            assertArrayEquals(startTls(1), peer.reply());
            assertClosedServingNothing(peer, DisconnectCause.TIMEOUT);
        }
    }

    @Test
    void aClientThatOffersOnlyTls12IsRefusedInTheHandshake() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1));
            assertArrayEquals(startTls(1), peer.reply());
            SSLException e = assertThrows(SSLException.class,
                    () -> peer.upgrade(pki.clientContext(), new String[] {"TLSv1.2"}, RpcTls.ALPN));
            assertTrue(e.getMessage().contains("protocol_version"), e.getMessage());
        }
        await().atMost(WAIT).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), server.disconnects);
        assertEquals(0, server.actorRuns.get());
    }

    @Test
    void aClientThatOffersAnotherApplicationProtocolIsRefusedInTheHandshake() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1));
            assertArrayEquals(startTls(1), peer.reply());
            SSLException e = assertThrows(SSLException.class, () -> peer.upgrade(pki.clientContext(), TLS13, "h2"));
            assertTrue(e.getMessage().contains("no_application_protocol"), e.getMessage());
        }
        await().atMost(WAIT).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), server.disconnects);
        assertEquals(0, server.actorRuns.get());
    }

    /**
     * The JDK's TLS 1.3 server cannot refuse, during the handshake, a client that offers no ALPN at all: the
     * handshake completes, and the transport closes the connection right after it (cause PROTOCOL), before
     * anything the client sent over it is delivered.
     */
    @Test
    void aClientThatOffersNoApplicationProtocolIsClosedRightAfterTheHandshakeServedNothing() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1));
            assertArrayEquals(startTls(1), peer.reply());
            SSLSocket tls = peer.upgrade(pki.clientContext(), TLS13);
            assertEquals("", tls.getApplicationProtocol(), "the handshake completed with no ALPN");
            try {
                peer.send(RawPeer.call(2, PROG, TLS, WHO));
                assertEquals(-1, tls.getInputStream().read(), "closed, with no reply");
            } catch (IOException closed) {
                // the close reached us first: the same outcome
            }
        }
        await().atMost(WAIT).until(() -> server.disconnects.size() == 1);
        assertEquals(List.of(DisconnectCause.PROTOCOL), server.disconnects);
        assertEquals(0, server.actorRuns.get());
        assertTrue(server.identified.isEmpty());
    }

    @Test
    void aGarbageClientHelloEndsTheConnection() throws Exception {
        serve(tlsServer());
        byte[] garbage = new byte[300];
        new Random(9289).nextBytes(garbage);
        garbage[0] = 22; // looks like a handshake record, then is not
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1));
            assertArrayEquals(startTls(1), peer.reply());
            peer.send(garbage);
            assertClosedServingNothing(peer, DisconnectCause.PROTOCOL);
        }
    }

    @Test
    void authTlsOnADataProcedureIsDeniedBadCredAndTheConnectionGoesOn() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(Wire.record(Wire.call(7, 2, PROG, PLAIN, WHO, AuthFlavor.AUTH_TLS, new byte[0], new byte[0])));
            assertArrayEquals(denied(7, AuthStat.AUTH_BADCRED), peer.reply());
            peer.send(RawPeer.call(8, PROG, PLAIN, 0));
            assertArrayEquals(new int[] {8, 1, 0, AuthFlavor.AUTH_NONE, 0, 0}, peer.reply());
        }
        assertEquals(1, server.actorRuns.get(), "only the plain NULL ran");
    }

    @Test
    void aProbeWithACredentialBodyIsDeniedBadCredAndOneWithAVerifierBadVerf() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(Wire.record(Wire.call(1, 2, PROG, PLAIN, 0, AuthFlavor.AUTH_TLS, new byte[4], new byte[0])));
            assertArrayEquals(denied(1, AuthStat.AUTH_BADCRED), peer.reply());
            byte[] probeWithVerifier = Wire.concat(Wire.ints(2, 0, 2, PROG, PLAIN, 0, AuthFlavor.AUTH_TLS, 0,
                    AuthFlavor.AUTH_NONE, 4), "STAR".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            peer.send(Wire.record(probeWithVerifier));
            assertArrayEquals(denied(2, AuthStat.AUTH_BADVERF), peer.reply());
        }
        assertEquals(0, server.actorRuns.get());
    }

    @Test
    void aProbeWithinTheTlsSessionIsDeniedBadCredAndTheSessionGoesOn() throws Exception {
        serve(tlsServer());
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1));
            assertArrayEquals(startTls(1), peer.reply());
            SSLSocket tls = peer.upgrade(pki.clientContext(), TLS13, RpcTls.ALPN);
            assertEquals(RpcTls.ALPN, tls.getApplicationProtocol());
            peer.send(RawPeer.probe(2));
            assertArrayEquals(denied(2, AuthStat.AUTH_BADCRED), peer.reply());
            peer.send(RawPeer.call(3, PROG, TLS, 0));
            assertArrayEquals(new int[] {3, 1, 0, AuthFlavor.AUTH_NONE, 0, 0}, peer.reply(), "served over TLS");
        }
        assertEquals(1, server.actorRuns.get());
    }

    @Test
    void aProbeToAServiceWithoutAuthTlsIsDeniedBadCred() throws Exception {
        serve(null);
        try (RawPeer peer = connect()) {
            peer.send(RawPeer.probe(1));
            assertArrayEquals(denied(1, AuthStat.AUTH_BADCRED), peer.reply());
            peer.send(RawPeer.call(2, PROG, PLAIN, 0));
            assertArrayEquals(new int[] {2, 1, 0, AuthFlavor.AUTH_NONE, 0, 0}, peer.reply(), "still plaintext");
        }
    }

    @Test
    void aProbeWhereTlsIsNotOfferedIsAcceptedWithoutStartTlsOverAUnixSocketAndUdp() throws Exception {
        serve(tlsServer());
        Path dir = Files.createTempDirectory("rpc-tls");
        Path socket = dir.resolve("rpc.sock");
        Listener unix = server.listen(UnixDomainSocketAddress.of(socket));
        int[] noStartTls = {1, 1, 0, AuthFlavor.AUTH_NONE, 0, 0};
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ch.write(ByteBuffer.wrap(RawPeer.probe(1)));
            assertArrayEquals(noStartTls, Wire.asInts(Wire.readRecord(Channels.newInputStream(ch))));
            ch.write(ByteBuffer.wrap(RawPeer.call(2, PROG, PLAIN, 0)));
            assertArrayEquals(new int[] {2, 1, 0, AuthFlavor.AUTH_NONE, 0, 0},
                    Wire.asInts(Wire.readRecord(Channels.newInputStream(ch))), "the connection stays plaintext");
        } finally {
            await().atMost(WAIT).until(() -> unix.connectionCount() == 0);
            acceptedElsewhere = unix.acceptedCount();
            unix.close();
            Files.deleteIfExists(socket);
            Files.delete(dir);
        }
        var udp = server.service.listenUdp(server.pool, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(udp.address());
            byte[] probe = RawPeer.probe(1);
            ch.write(ByteBuffer.wrap(probe, 4, probe.length - 4)); // a datagram carries no record mark
            ByteBuffer reply = ByteBuffer.allocate(100);
            ch.read(reply);
            byte[] bytes = new byte[reply.flip().remaining()];
            reply.get(bytes);
            assertArrayEquals(noStartTls, Wire.asInts(bytes), "no DTLS: accepted without STARTTLS");
        } finally {
            udp.close();
        }
        assertEquals(1, server.actorRuns.get(), "the plain NULL over the Unix socket");
    }
}
