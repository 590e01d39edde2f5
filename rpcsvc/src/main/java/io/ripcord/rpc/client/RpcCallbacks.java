package io.ripcord.rpc.client;

import io.ripcord.rpc.RecordMarking;
import io.ripcord.rpc.RpcReplyHandler;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import io.ripcord.transport.DisconnectCause;
import io.ripcord.transport.Transport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of server-to-client calls (GlusterFS's {@code rpcsvc_callback_submit}): a server calls a
 * client on the connection the client opened, and gets the client's reply as a future. Install it on a
 * service with {@link #attach}; the service then hands it the REPLY messages its connections receive.
 *
 * <pre>{@code
 * RpcCallbacks callbacks = RpcCallbacks.attach(service);
 * // in an actor:
 * callbacks.call(call.transport(), CB_PROG, 1, 1, XdrEncoder::writeInt, 7, XdrDecoder::readInt)
 *          .whenComplete((r, e) -> call.reply(...));
 * }</pre>
 *
 * <p>The client must serve the program ({@link RpcClient#serve}). Each call ends exactly once, as an
 * {@link RpcClient} call does: the client's reply, its typed error, {@link RpcTimeoutException}, or
 * {@link RpcDisconnectedException} when the connection ends first. GlusterFS's own callbacks expect no reply;
 * to send one of those, do not wait for the future (it will time out), or use a short timeout.
 *
 * <p>Threads: {@link #call} from any thread; futures complete on the connection's owner poller.
 */
public final class RpcCallbacks implements RpcReplyHandler {

    private static final Logger log = LoggerFactory.getLogger(RpcCallbacks.class);

    private final ConcurrentHashMap<Transport, ClientCalls> byTransport = new ConcurrentHashMap<>();
    private final Calls calls;

    private RpcCallbacks(Duration defaultTimeout) {
        this.calls = new Calls(defaultTimeout.toNanos(), Credential.NONE, new ClientCounters());
    }

    /**
     * {@link #attach(RpcService, Duration)} with a 30 s default timeout.
     *
     * @param service the service whose connections will carry the calls
     * @return the callbacks, now the service's reply handler
     * @throws IllegalStateException if the service has a reply handler already
     */
    public static RpcCallbacks attach(RpcService service) {
        return attach(service, Duration.ofSeconds(30));
    }

    /**
     * Makes {@code service}'s connections able to call their clients.
     *
     * @param service        the service whose connections will carry the calls
     * @param defaultTimeout how long a call waits for the client's reply unless its {@link CallOptions} say
     *                       otherwise
     * @return the callbacks, now the service's reply handler
     * @throws IllegalStateException if the service has a reply handler already
     */
    public static RpcCallbacks attach(RpcService service, Duration defaultTimeout) {
        Objects.requireNonNull(service, "service");
        RpcCallbacks callbacks = new RpcCallbacks(defaultTimeout);
        synchronized (service) { // two attach() racing must not both win
            if (service.replyHandler() != null) {
                throw new IllegalStateException(service + " has a reply handler already: "
                        + service.replyHandler());
            }
            service.replyHandler(callbacks);
        }
        return callbacks;
    }

    /**
     * {@link #call(Transport, int, int, int, XdrWriter, Object, XdrReader, CallOptions)} with the timeout given to
     * {@link #attach(RpcService, Duration)} and AUTH_NONE. From any thread.
     *
     * @param transport    a connection of the attached service, opened by the client to call; not {@code null}
     * @param program      the program number the client serves
     * @param version      the program version
     * @param procedure    the procedure number
     * @param argsWriter   encodes the arguments
     * @param args         the arguments
     * @param resultReader decodes the client's results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param <A>          the argument type
     * @param <T>          the result type
     * @return completes with the client's result or an {@link RpcException}
     */
    public <A, T> CompletableFuture<T> call(Transport transport, int program, int version, int procedure,
                                            XdrWriter<? super A> argsWriter, A args,
                                            XdrReader<? extends T> resultReader) {
        return call(transport, program, version, procedure, argsWriter, args, resultReader, CallOptions.defaults());
    }

    /**
     * Calls the client at the other end of {@code transport}, a connection of the attached service. From any
     * thread.
     *
     * @param transport    a connection of the attached service, opened by the client to call; not {@code null}
     * @param program      the program number the client serves
     * @param version      the program version
     * @param procedure    the procedure number
     * @param argsWriter   encodes the arguments
     * @param args         the arguments
     * @param resultReader decodes the client's results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param callOptions  the timeout (default: the one given to {@link #attach(RpcService, Duration)}) and the
     *                     credential (default AUTH_NONE)
     * @param <A>          the argument type
     * @param <T>          the result type
     * @return completes, on the connection's owner poller, with the client's result or an {@link RpcException}:
     *         {@link RpcDisconnectedException} if the connection is closed or ends before the reply
     * @throws NullPointerException if {@code transport} is null
     */
    public <A, T> CompletableFuture<T> call(Transport transport, int program, int version, int procedure,
                                            XdrWriter<? super A> argsWriter, A args,
                                            XdrReader<? extends T> resultReader, CallOptions callOptions) {
        Objects.requireNonNull(transport, "transport (a stream connection; UDP has none)");
        return calls.call(byTransport.computeIfAbsent(transport, ClientCalls::new), program, version, procedure,
                argsWriter, args, resultReader, callOptions);
    }

    @Override
    public void onReply(Transport transport, int xid, ByteBuffer reply) {
        ClientCalls c = byTransport.get(transport);
        if (c == null || !c.outstanding.onReply(xid, reply)) {
            log.debug("{}: reply with unknown xid 0x{} dropped", transport, Integer.toHexString(xid));
        }
    }

    @Override
    public void onDisconnect(Transport transport, DisconnectCause cause) {
        ClientCalls c = byTransport.remove(transport);
        if (c != null) {
            c.outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": connection to the client "
                    + transport.remoteAddress() + " lost (" + cause + ")", cause, null));
        }
    }

    /** The calls to the client at the other end of one connection: framed records on it. */
    private final class ClientCalls implements Calls.Route {
        final Outstanding outstanding = new Outstanding(calls.counters());
        private final Transport transport;

        ClientCalls(Transport transport) {
            this.transport = transport;
        }

        @Override
        public RpcException refusal(Pending<?> call) {
            return null;
        }

        @Override
        public void send(Pending<?> call, ByteBuffer message) {
            if (!outstanding.add(call, transport.poller())) {
                return;
            }
            if (!transport.isOpen()) {
                // It ended before, or while, we registered: onDisconnect may have missed this map.
                byTransport.remove(transport, this);
                outstanding.close(p -> new RpcDisconnectedException(p.describe() + ": connection to the client "
                        + transport.remoteAddress() + " is closed", DisconnectCause.LOCAL_CLOSE, null));
                return;
            }
            transport.send(RecordMarking.frame(message), null);
        }
    }

    /** Connections with calls to their clients made since they opened. */
    int connections() {
        return byTransport.size();
    }

    @Override
    public String toString() {
        return "RpcCallbacks[" + byTransport.size() + " connections]";
    }
}
