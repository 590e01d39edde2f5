package io.ripcord.testkit;

import io.ripcord.rpc.RecordMarkingDecoder;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.RpcServiceOptions;
import io.ripcord.rpc.client.Credential;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.FrameException;
import io.ripcord.transport.TransportOptions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Calls the procedures of an {@link RpcService} (or of a few {@link RpcProgram}s) without a socket, as a client
 * on one connection would, and reads back each reply with its exact status: the service's whole path runs
 * (record marking, the header checks, the credential's flavor, the program lookup, argument decoding, the actor,
 * the outstanding-call throttle), over an {@link EmbeddedTransport}.
 *
 * <pre>{@code
 * ServiceHarness kv = ServiceHarness.of(KvProgram.version1(store));
 * assertEquals(42, kv.call(KV, 1, INC, XdrEncoder::writeInt, 41).result(XdrDecoder::readInt));
 * RpcReply r = kv.call(KV, 9, 0);                      // no version 9
 * assertEquals(AcceptStat.PROG_MISMATCH, r.acceptStat());
 * assertEquals(1, r.mismatchLow());
 * }</pre>
 *
 * <p>Actors that run inline have replied when {@code call} returns; for actors on an executor, {@code call} waits
 * (up to {@link #replyTimeout}) for their reply. A call nobody answers (a flavor dropped it) gives {@code null}
 * once the timeout has passed.
 *
 * <p>Thread rules: one thread (the one that made it) drives it.
 */
public final class ServiceHarness {

    private final EmbeddedTransport transport;
    private final RecordMarkingDecoder records = new RecordMarkingDecoder(64 * 1024 * 1024);
    /** Replies read but not asked for yet (answers to other calls, or out of order). */
    private final List<RpcReply> unclaimed = new ArrayList<>();
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private Credential credential = Credential.NONE;
    private Duration replyTimeout = Duration.ofSeconds(10);
    private int nextXid = 0x7e570001;

    private ServiceHarness(EmbeddedTransport transport) {
        this.transport = transport;
    }

    /**
     * A harness for {@code service}, on a connection that has no clock (no timeouts). The calling thread drives
     * it.
     *
     * @param service the service under test, with its programs registered; it accepts the harness's connection
     *     as it would a client's
     * @return the harness, connected
     * @throws IllegalStateException if the service refuses the connection
     */
    public static ServiceHarness of(RpcService service) {
        return of(service, null);
    }

    /**
     * A harness for {@code service}, whose connection's record timeout (if the service sets one) runs by
     * {@code clock}. The calling thread drives it.
     *
     * @param service the service under test, with its programs registered
     * @param clock the clock the connection's timeouts run by, or {@code null} for none
     * @return the harness, connected
     * @throws IllegalStateException if the service refuses the connection
     */
    public static ServiceHarness of(RpcService service, ManualClock clock) {
        EmbeddedTransport.Builder b = EmbeddedTransport.builder()
                .options(service.streamOptions(TransportOptions.defaults()));
        if (clock != null) {
            b.clock(clock);
        }
        try {
            return new ServiceHarness(b.accept(service.acceptor()));
        } catch (Exception e) {
            throw new IllegalStateException("the service refused the connection", e);
        }
    }

    /**
     * A harness for a new service of just these programs (no GF-DUMP), with default service options.
     *
     * @param programs the program versions to serve
     * @return the harness, connected
     */
    public static ServiceHarness of(RpcProgram... programs) {
        RpcService service = RpcService.create(RpcServiceOptions.builder().gfDump(false).build());
        for (RpcProgram p : programs) {
            service.register(p);
        }
        return of(service);
    }

    /**
     * The credential the following calls carry; default AUTH_NONE.
     *
     * @param c a credential with a fixed body (AUTH_NONE, AUTH_SYS), sent as is with every call
     * @return this harness
     */
    public ServiceHarness credential(Credential c) {
        this.credential = Objects.requireNonNull(c, "credential");
        return this;
    }

    /**
     * How long a call waits for an actor that replies from another thread; default 10 s. A call that expects no
     * reply waits this long, so make it short for such tests.
     *
     * @param timeout the wait, in real time
     * @return this harness
     */
    public ServiceHarness replyTimeout(Duration timeout) {
        this.replyTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * The connection the calls go over: to pause, close, or look at it.
     *
     * @return the embedded connection, owned by the thread that made the harness
     */
    public EmbeddedTransport transport() {
        return transport;
    }

    /**
     * Calls a procedure that takes no arguments.
     *
     * @param program the program number
     * @param version the program version
     * @param procedure the procedure number
     * @return the reply, or {@code null} if none came within the reply timeout or the service closed the
     *     connection over this call
     * @throws IllegalStateException if the connection was closed before the call, or the service wrote
     *     something that is no reply
     */
    public RpcReply call(int program, int version, int procedure) {
        return call(program, version, procedure, (e, v) -> { }, null);
    }

    /**
     * Calls a procedure with {@code args} encoded by {@code writer}, under a fresh xid.
     *
     * @param program the program number
     * @param version the program version
     * @param procedure the procedure number
     * @param writer encodes the arguments, as a client stub would
     * @param args the arguments
     * @param <A> the arguments' type
     * @return the reply, or {@code null} if none came within the reply timeout or the service closed the
     *     connection over this call
     * @throws IllegalStateException if the connection was closed before the call, or the service wrote
     *     something that is no reply
     */
    public <A> RpcReply call(int program, int version, int procedure, XdrWriter<? super A> writer, A args) {
        return callRaw(CallMessages.call(nextXid++, program, version, procedure, credential, writer, args));
    }

    /**
     * Sends {@code message} (a whole RPC message, without its record mark; any bytes at all) as one record.
     *
     * @param message the record's content, such as a call with a header the service must refuse
     * @return the reply whose xid is the message's first four bytes, or {@code null} if none came within the reply
     *         timeout (a message the service drops, or one it closes the connection over), or if the thread was
     *         interrupted (its interrupt flag is then set again)
     * @throws IllegalStateException if the connection was closed before the call, or the service wrote
     *     something that is no reply
     */
    public RpcReply callRaw(byte[] message) {
        int xid = message.length >= 4 ? ByteBuffer.wrap(message).getInt() : 0;
        transport.writeInbound(ByteBuffer.allocate(4 + message.length).putInt(0x8000_0000 | message.length)
                .put(message).flip());
        long deadline = System.nanoTime() + replyTimeout.toNanos();
        for (;;) {
            RpcReply r = claim(xid);
            if (r != null || transport.isClosed()) {
                return r;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            ByteBuffer m;
            try {
                m = transport.readOutbound(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (m != null) {
                read(m);
            }
        }
    }

    /** Reads what the service has written so far and returns the reply for {@code xid}, if it is there. */
    private RpcReply claim(int xid) {
        ByteBuffer m;
        while ((m = transport.readOutbound()) != null) {
            read(m);
        }
        for (Iterator<RpcReply> i = unclaimed.iterator(); i.hasNext(); ) {
            RpcReply r = i.next();
            if (r.xid() == xid) {
                i.remove();
                return r;
            }
        }
        return null;
    }

    /** Splits what the service wrote into records (RFC 5531 section 11) and keeps each reply. */
    private void read(ByteBuffer bytes) {
        ByteBuffer all = ByteBuffer.allocate(pending.remaining() + bytes.remaining()).put(pending).put(bytes).flip();
        try {
            ByteBuffer record;
            while ((record = records.decode(all)) != null) {
                byte[] message = new byte[record.remaining()];
                record.get(message);
                unclaimed.add(new RpcReply(message));
            }
        } catch (FrameException | XdrException e) {
            throw new IllegalStateException("the service wrote something that is no reply: " + e.getMessage(), e);
        }
        pending = ByteBuffer.allocate(all.remaining()).put(all).flip();
    }
}
