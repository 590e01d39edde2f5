package io.ripcord.rpc.client;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link RpcCaller} whose calls take one {@link Calls.Route}: {@link RpcClient} (its current connection),
 * {@link RpcUdpClient} (its socket) and a connection's setup (that connection alone) differ only in their route;
 * calling and waiting are written once, here.
 */
abstract class RouteCaller implements RpcCaller {

    /** The call path, with this caller's defaults. */
    abstract Calls calls();

    /** Where the calls go. */
    abstract Calls.Route route();

    /** The pool whose pollers {@link #callSync} must not block. */
    abstract EventPool pool();

    /** {@inheritDoc} From any thread. */
    @Override
    public final <A, T> CompletableFuture<T> call(int program, int version, int procedure,
                                                  XdrWriter<? super A> argsWriter, A args,
                                                  XdrReader<? extends T> resultReader, CallOptions callOptions) {
        return calls().call(route(), program, version, procedure, argsWriter, args, resultReader, callOptions);
    }

    /** {@inheritDoc} Not from a poller: it blocks. */
    @Override
    public final <A, T> T callSync(int program, int version, int procedure, XdrWriter<? super A> argsWriter, A args,
                                   XdrReader<? extends T> resultReader, CallOptions callOptions)
            throws RpcException, InterruptedException {
        Calls.requireNotPoller(pool());
        return Calls.await(call(program, version, procedure, argsWriter, args, resultReader, callOptions));
    }
}
