package io.ripcord.rpc.client;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.xdr.XdrReader;
import io.ripcord.rpc.xdr.XdrWriter;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The call path every caller shares ({@link RpcClient} over a stream, {@link RpcUdpClient} over UDP,
 * {@link RpcCallbacks} from a server to its clients): numbering calls, applying the defaults of their
 * {@link CallOptions}, encoding them with their credential, and handing them to a {@link Route}, which is the
 * only part that knows how the call travels. Waiting for a call ({@link #await}) is here too.
 *
 * <p>Threads: {@link #call} from any thread; the route's methods run on the calling thread.
 */
final class Calls {

    /** How one kind of caller sends: over which connection or socket, and whether it can now. */
    interface Route {
        /** Why the call cannot go now (no connection, the client closed), or {@code null} if it can. */
        RpcException refusal(Pending<?> call);

        /**
         * Registers the call (its deadline, and whatever fails it if the way ends) and sends it: an unframed
         * message, with room before it for a stream's record mark. Fails the call itself if it cannot.
         */
        void send(Pending<?> call, ByteBuffer message);
    }

    /** Seeded at random so a reconnecting client does not reuse the xids the server just saw. */
    private final AtomicInteger xids = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final long defaultTimeoutNanos;
    private final Credential defaultCredential;
    private final ClientCounters counters;

    Calls(long defaultTimeoutNanos, Credential defaultCredential, ClientCounters counters) {
        this.defaultTimeoutNanos = defaultTimeoutNanos;
        this.defaultCredential = defaultCredential;
        this.counters = counters;
    }

    /** Where this caller's calls are counted. */
    ClientCounters counters() {
        return counters;
    }

    /** Makes a call through {@code route}; see {@link RpcCaller#call}. */
    <A, T> CompletableFuture<T> call(Route route, int program, int version, int procedure,
                                     XdrWriter<? super A> argsWriter, A args, XdrReader<? extends T> resultReader,
                                     CallOptions callOptions) {
        Objects.requireNonNull(argsWriter, "argsWriter");
        Objects.requireNonNull(resultReader, "resultReader");
        Objects.requireNonNull(callOptions, "callOptions");
        counters.calls.increment();
        Pending<T> call = new Pending<>(nextXid(), program, version, procedure, resultReader,
                callOptions.timeoutNanos(defaultTimeoutNanos), callOptions.credentialOr(defaultCredential));
        if (call.credential.signer() != null) {
            call.resend = denied -> resend(route, call, argsWriter, args, denied);
        }
        send(route, call, argsWriter, args);
        return call.future;
    }

    private <A> void send(Route route, Pending<?> call, XdrWriter<? super A> argsWriter, A args) {
        RpcException refused = route.refusal(call);
        if (refused != null) {
            call.fail(refused);
            return;
        }
        ByteBuffer message;
        try {
            message = Messages.encodeCall(call, argsWriter, args);
        } catch (RuntimeException e) {
            call.fail(e);
            return;
        }
        route.send(call, message);
    }

    /** Sends a denied call again, once, under a new xid, if its signer can renew what it signs with. */
    interface Resend {
        /** @return whether the call goes on (its future is completed later); on the poller that read the denial */
        boolean after(AuthErrorException denied);
    }

    private <A, T> boolean resend(Route route, Pending<T> denied, XdrWriter<? super A> argsWriter, A args,
                                  AuthErrorException why) {
        CompletionStage<?> renewed;
        try {
            renewed = denied.credential.signer().renewAfter(why.authStat(), denied.authState);
        } catch (RuntimeException e) {
            why.addSuppressed(e); // a signer that fails to renew fails the call, not the connection
            return false;
        }
        if (renewed == null) {
            return false;
        }
        renewed.whenComplete((r, failure) -> {
            if (failure == null) {
                send(route, denied.again(nextXid()), argsWriter, args);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            AuthErrorException e = new AuthErrorException(why.getMessage() + "; renewing the credential failed: "
                    + cause.getMessage(), why.authStat());
            e.initCause(cause);
            denied.fail(e);
        });
        return true;
    }

    /** Never 0: glusterd answers a message it cannot decode with xid 0, which must never match a call. */
    int nextXid() {
        int x;
        do {
            x = xids.incrementAndGet();
        } while (x == 0);
        return x;
    }

    /** {@code callSync} blocks: it refuses to run on a poller of {@code pool}. */
    static void requireNotPoller(EventPool pool) {
        if (pool.inPoller()) {
            throw new IllegalStateException("callSync blocks and must not run on a poller; use call()");
        }
    }

    /** Waits for a call's future and rethrows what failed it as it was thrown: {@code callSync}'s end. */
    static <T> T await(CompletableFuture<T> call) throws RpcException, InterruptedException {
        try {
            return call.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RpcException) {
                throw (RpcException) c;
            }
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            if (c instanceof Error) {
                throw (Error) c;
            }
            throw new RpcException("call failed: " + c, c);
        }
    }
}
