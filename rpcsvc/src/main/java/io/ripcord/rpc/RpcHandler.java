package io.ripcord.rpc;

/**
 * The body of a procedure: gets the decoded arguments and replies through {@link RpcCall}, now or later, from
 * any thread. Exactly one reply counts; if the handler throws before replying, the caller gets SYSTEM_ERR.
 *
 * @param <A> the decoded argument type ({@code Void} for none)
 */
@FunctionalInterface
public interface RpcHandler<A> {
    void handle(RpcCall call, A args) throws Exception;
}
