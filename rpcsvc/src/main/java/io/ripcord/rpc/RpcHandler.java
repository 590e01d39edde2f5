package io.ripcord.rpc;

/**
 * The body of a procedure: gets the decoded arguments and replies through {@link RpcCall}, now or later, from
 * any thread. Exactly one reply counts; if the handler throws before replying, the caller gets SYSTEM_ERR.
 *
 * @param <A> the decoded argument type ({@code Void} for none)
 */
@FunctionalInterface
public interface RpcHandler<A> {
    /**
     * Runs the procedure for one call: on the connection's poller unless the actor or its program names an
     * executor, where it must not block.
     *
     * @param call the call, to reply through (now, or later from any thread)
     * @param args the decoded arguments ({@code null} for {@code void})
     * @throws Exception anything; if the call has no reply yet, the caller gets SYSTEM_ERR and it is logged
     */
    void handle(RpcCall call, A args) throws Exception;
}
