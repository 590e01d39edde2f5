package io.ripcord.rpc.client;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live counts of one client ({@link RpcClient}, {@link RpcUdpClient}, {@link RpcCallbacks}): what
 * {@link RpcClientMetrics} reads. Adders, because calls are made from any thread and end on the pollers; an
 * addition allocates nothing once the adder's cells exist.
 *
 * <p>Each call is counted once when it is made and at most once when it ends: by the thread whose removal from
 * its {@link Outstanding} map succeeded, which is the only one that completes it.
 */
final class ClientCounters {

    final LongAdder calls = new LongAdder();
    final LongAdder replies = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder disconnected = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder retransmissions = new LongAdder();

    RpcClientMetrics snapshot(int pending) {
        return new RpcClientMetrics(pending, calls.sum(), replies.sum(), timeouts.sum(), disconnected.sum(),
                reconnects.sum(), connectFailures.sum(), retransmissions.sum());
    }
}
