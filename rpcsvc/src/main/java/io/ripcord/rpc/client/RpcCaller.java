package io.ripcord.rpc.client;

import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * What code that makes ONC RPC calls needs, whatever carries them: {@link RpcClient} (TCP or a Unix socket) and
 * {@link RpcUdpClient} (UDP) both are one. Write callers against this, and test them with a mock of it.
 */
public interface RpcCaller extends AutoCloseable {

    /**
     * Calls a procedure; the call ends exactly once, with its result or one {@link RpcException}. From any
     * thread.
     *
     * @param program      the program number
     * @param version      the program version
     * @param procedure    the procedure number
     * @param argsWriter   encodes the arguments
     * @param args         the arguments
     * @param resultReader decodes the results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param callOptions  timeout and credential
     * @param <A>          the argument type
     * @param <T>          the result type
     * @return completes with the result, or exceptionally with an {@link RpcException} (or the
     *         {@link RuntimeException} {@code argsWriter} threw for arguments that break their XDR limits)
     */
    <A, T> CompletableFuture<T> call(int program, int version, int procedure, XdrWriter<? super A> argsWriter,
                                     A args, XdrReader<? extends T> resultReader, CallOptions callOptions);

    /**
     * {@link #call}, waiting for the result; never on a poller. The wait ends when the call does, so it is
     * bounded by the call's timeout.
     *
     * @param program      the program number
     * @param version      the program version
     * @param procedure    the procedure number
     * @param argsWriter   encodes the arguments
     * @param args         the arguments
     * @param resultReader decodes the results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param callOptions  timeout and credential
     * @param <A>          the argument type
     * @param <T>          the result type
     * @return the decoded result (what {@code resultReader} returned, which may be {@code null})
     * @throws RpcException          why the call failed: timeout, disconnect, a denied or unsuccessful reply
     * @throws InterruptedException  if interrupted while waiting (the call goes on; its result is dropped)
     * @throws IllegalStateException if called on a poller thread
     */
    <A, T> T callSync(int program, int version, int procedure, XdrWriter<? super A> argsWriter, A args,
                      XdrReader<? extends T> resultReader, CallOptions callOptions)
            throws RpcException, InterruptedException;

    /**
     * {@link #call(int, int, int, XdrWriter, Object, XdrReader, CallOptions)} with the client's default timeout
     * and credential ({@link CallOptions#defaults()}). From any thread.
     *
     * @param program      the program number
     * @param version      the program version
     * @param procedure    the procedure number
     * @param argsWriter   encodes the arguments
     * @param args         the arguments
     * @param resultReader decodes the results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param <A>          the argument type
     * @param <T>          the result type
     * @return completes with the result, or exceptionally with an {@link RpcException}
     */
    default <A, T> CompletableFuture<T> call(int program, int version, int procedure, XdrWriter<? super A> argsWriter,
                                             A args, XdrReader<? extends T> resultReader) {
        return call(program, version, procedure, argsWriter, args, resultReader, CallOptions.defaults());
    }

    /**
     * A call with no arguments (the XDR {@code void}) and the client's default timeout and credential: a NULL
     * procedure, or one that takes {@code void}. From any thread.
     *
     * @param program      the program number
     * @param version      the program version
     * @param procedure    the procedure number
     * @param resultReader decodes the results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param <T>          the result type
     * @return completes with the result, or exceptionally with an {@link RpcException}
     */
    default <T> CompletableFuture<T> call(int program, int version, int procedure,
                                          XdrReader<? extends T> resultReader) {
        return call(program, version, procedure, (e, v) -> { }, null, resultReader, CallOptions.defaults());
    }

    /**
     * {@link #callSync(int, int, int, XdrWriter, Object, XdrReader, CallOptions)} with the client's default
     * timeout and credential; never on a poller.
     *
     * @param program      the program number
     * @param version      the program version
     * @param procedure    the procedure number
     * @param argsWriter   encodes the arguments
     * @param args         the arguments
     * @param resultReader decodes the results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param <A>          the argument type
     * @param <T>          the result type
     * @return the decoded result
     * @throws RpcException          why the call failed
     * @throws InterruptedException  if interrupted while waiting (the call goes on; its result is dropped)
     * @throws IllegalStateException if called on a poller thread
     */
    default <A, T> T callSync(int program, int version, int procedure, XdrWriter<? super A> argsWriter, A args,
                              XdrReader<? extends T> resultReader) throws RpcException, InterruptedException {
        return callSync(program, version, procedure, argsWriter, args, resultReader, CallOptions.defaults());
    }

    /**
     * A blocking call with no arguments (the XDR {@code void}) and the client's default timeout and credential;
     * never on a poller. {@code callSync(prog, vers, 0, RpcActor.IGNORED)} pings a program.
     *
     * @param program      the program number
     * @param version      the program version
     * @param procedure    the procedure number
     * @param resultReader decodes the results; it must consume them all, unless it is
     *                     {@link io.ripcord.rpc.RpcActor#IGNORED}
     * @param <T>          the result type
     * @return the decoded result
     * @throws RpcException          why the call failed
     * @throws InterruptedException  if interrupted while waiting (the call goes on; its result is dropped)
     * @throws IllegalStateException if called on a poller thread
     */
    default <T> T callSync(int program, int version, int procedure, XdrReader<? extends T> resultReader)
            throws RpcException, InterruptedException {
        return callSync(program, version, procedure, (e, v) -> { }, null, resultReader, CallOptions.defaults());
    }

    /**
     * The server this caller sends its calls to.
     *
     * @return the address given when the caller was made (an {@link java.net.InetSocketAddress} or a Unix
     *         socket's {@link java.net.UnixDomainSocketAddress}); never {@code null}
     */
    SocketAddress address();

    /** Fails the waiting calls with {@link RpcDisconnectedException} and releases the socket; idempotent. */
    @Override
    void close();
}
