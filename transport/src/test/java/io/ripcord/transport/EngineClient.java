package io.ripcord.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS client over a blocking socket, driven by hand through an {@link SSLEngine}, so that a test decides what
 * goes out in which write (the JDK's {@code SSLSocket} writes its first flight itself).
 */
final class EngineClient {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    private final ByteBuffer netIn = ByteBuffer.allocate(1 << 17);
    private final ByteBuffer plainIn = ByteBuffer.allocate(1 << 17);

    EngineClient(SSLContext context, Socket socket) throws IOException {
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.engine = context.createSSLEngine("localhost", socket.getPort());
        engine.setUseClientMode(true);
    }

    /** The client's first handshake flight, wrapped and not sent. */
    byte[] firstFlight() throws SSLException {
        engine.beginHandshake();
        return wrap(EMPTY);
    }

    void finishHandshake() throws IOException {
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP:
                    out.write(wrap(EMPTY));
                    out.flush();
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    unwrapOrRead();
                    break;
                case NEED_TASK:
                    runTasks();
                    break;
                default:
                    return;
            }
        }
    }

    void send(byte[] plain) throws IOException {
        out.write(wrap(ByteBuffer.wrap(plain)));
        out.flush();
    }

    /** Sends each message as a record of its own, all the records in one write (so they arrive together). */
    void sendRecordsInOneWrite(byte[]... messages) throws IOException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            records.write(wrap(ByteBuffer.wrap(m)));
        }
        out.write(records.toByteArray());
        out.flush();
    }

    /**
     * Receives {@code length} bytes of plaintext into {@code dst}.
     *
     * @return how many records carried them (records without plaintext, such as a TLS 1.3 session ticket, are not
     *         counted)
     */
    int receiveCountingRecords(byte[] dst) throws IOException {
        int records = 0;
        while (plainIn.position() < dst.length) {
            int before = plainIn.position();
            unwrapOrRead();
            if (plainIn.position() > before) {
                records++;
            }
        }
        plainIn.flip();
        plainIn.get(dst);
        plainIn.compact();
        return records;
    }

    String receiveFrame() throws IOException {
        while (plainIn.position() < 4 || plainIn.position() < 4 + plainIn.getInt(0)) {
            unwrapOrRead();
        }
        plainIn.flip();
        byte[] b = new byte[plainIn.getInt()];
        plainIn.get(b);
        plainIn.compact();
        return new String(b, StandardCharsets.UTF_8);
    }

    private byte[] wrap(ByteBuffer src) throws SSLException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        do {
            net.clear();
            SSLEngineResult r = engine.wrap(src, net);
            runTasks();
            bytes.write(net.array(), 0, net.position());
            if (r.bytesProduced() == 0 && r.bytesConsumed() == 0) {
                break;
            }
        } while (src.hasRemaining() || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP);
        return bytes.toByteArray();
    }

    private void unwrapOrRead() throws IOException {
        netIn.flip();
        SSLEngineResult r = engine.unwrap(netIn, plainIn);
        netIn.compact();
        runTasks();
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new EOFException("the server closed TLS");
        }
        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
            int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
            if (n < 0) {
                throw new EOFException("the server closed the connection");
            }
            netIn.position(netIn.position() + n);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
