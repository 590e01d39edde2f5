package io.ripcord.rpc.client;

/**
 * What a client has done, at the moment {@link RpcClient#metrics()} (or {@link RpcUdpClient#metrics()}) read it.
 * Each count is exact; they are not all read at one instant.
 *
 * @param pending         calls waiting for their reply now
 * @param calls           calls made since the client was created (a call the credential's flavor sent again
 *                        under a new xid counts once)
 * @param replies         replies matched to a waiting call, whatever they said (an error reply is a reply)
 * @param timeouts        calls that got no reply within their timeout
 * @param disconnected    calls that failed because their connection ended or the client was closed while they
 *                        waited
 * @param reconnects      connections made again after one was lost ({@link RpcClient} with a reconnect policy; 0
 *                        for {@link RpcUdpClient})
 * @param connectFailures connections that could not be made, after the reconnect policy's retries, or whose setup
 *                        failed (0 for {@link RpcUdpClient})
 * @param retransmissions copies of calls sent again because no reply had come ({@link RpcUdpClient}; 0 for
 *                        {@link RpcClient}, which never resends)
 */
public record RpcClientMetrics(int pending, long calls, long replies, long timeouts, long disconnected,
                               long reconnects, long connectFailures, long retransmissions) {

    /** One statedump line. */
    @Override
    public String toString() {
        return "pending " + pending + ", calls " + calls + ", replies " + replies + ", timeouts " + timeouts
                + ", disconnected " + disconnected + ", reconnects " + reconnects + ", connect failures "
                + connectFailures + ", retransmissions " + retransmissions;
    }
}
