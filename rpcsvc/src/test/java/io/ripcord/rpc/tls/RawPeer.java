package io.ripcord.rpc.tls;

import io.ripcord.rpc.AuthFlavor;
import io.ripcord.rpc.GfDump;
import io.ripcord.rpc.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking test client that writes RPC bytes by hand over a plain socket and can layer TLS over the same socket
 * after a probe, with whatever protocol versions and ALPN it is told to offer: the hostile peer of the RPC-with-TLS
 * tests.
 */
final class RawPeer implements AutoCloseable {

    /** The probe's reply: xid, REPLY, MSG_ACCEPTED, verifier AUTH_NONE "STARTTLS" (8 bytes), SUCCESS. */
    static final int STAR = 0x53544152;
    static final int TTLS = 0x54544C53;
    /** A TLS record of type alert (RFC 8446 section 5.1). */
    private static final int TLS_ALERT = 21;

    private final Socket plain;
    private Socket socket;

    RawPeer(InetSocketAddress server) throws IOException {
        plain = new Socket();
        plain.connect(server, 10_000);
        plain.setSoTimeout(10_000);
        plain.setTcpNoDelay(true);
        socket = plain;
    }

    /** The AUTH_TLS probe (RFC 9289 section 4.1) as one record: NULL of GF-DUMP, empty credential and verifier. */
    static byte[] probe(int xid) {
        return Wire.record(Wire.call(xid, 2, GfDump.PROGRAM, GfDump.VERSION, 0, AuthFlavor.AUTH_TLS, new byte[0],
                new byte[0]));
    }

    /** A call with no arguments and an AUTH_NONE credential, as one record. */
    static byte[] call(int xid, int prog, int vers, int proc) {
        return Wire.record(Wire.call(xid, prog, vers, proc, new byte[0]));
    }

    /** Writes every record in one write: on loopback with TCP_NODELAY, one segment. */
    void send(byte[]... records) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(Wire.concat(records));
        out.flush();
    }

    int[] reply() throws IOException {
        return Wire.asInts(Wire.readRecord(socket.getInputStream()));
    }

    /** Starts TLS over the same socket, offering these versions and application protocols (none: no ALPN). */
    SSLSocket upgrade(SSLContext context, String[] protocols, String... alpn) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        SSLParameters p = tls.getSSLParameters();
        p.setProtocols(protocols);
        if (alpn.length > 0) {
            p.setApplicationProtocols(alpn);
        }
        tls.setSSLParameters(p);
        socket = tls;
        tls.startHandshake();
        return tls;
    }

    /**
     * Reads until the server closes the connection; returns what came before the end. A reset counts as the end
     * (a server that closes with unread bytes resets).
     */
    byte[] untilClosed() throws IOException {
        InputStream in = plain.getInputStream();
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) >= 0; ) {
                rest.write(b, 0, n);
            }
        } catch (SocketException reset) {
            // the end, with a RST
        }
        return rest.toByteArray();
    }

    /** Whether {@code bytes} are nothing but TLS alert records (RFC 8446 section 5.1): no RPC record among them. */
    static boolean onlyTlsAlerts(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.remaining() >= 5) {
            if (b.get(b.position()) != TLS_ALERT) {
                return false;
            }
            int length = b.getShort(b.position() + 3) & 0xFFFF;
            if (b.remaining() < 5 + length) {
                return false;
            }
            b.position(b.position() + 5 + length);
        }
        return !b.hasRemaining();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        plain.close();
    }
}
