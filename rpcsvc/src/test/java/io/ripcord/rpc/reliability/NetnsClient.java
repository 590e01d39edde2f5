package io.ripcord.rpc.reliability;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The far end of {@link TwoHostsTest}: run in another network namespace, it calls the service's INC
 * procedure {@code count} times through an {@link RpcClient} and prints {@code ok <count>} when every result
 * was right. Arguments: host, port, count.
 */
public final class NetnsClient {
    private NetnsClient() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).threadNamePrefix("netns").build())
                .start();
        int ok = 0;
        try (RpcClient client = RpcClient.connect(pool, server).get(30, TimeUnit.SECONDS)) {
            for (int i = 0; i < count; i++) {
                int r = client.call(ServiceFixture.PROG, ServiceFixture.VERS, ServiceFixture.INC,
                        XdrEncoder::writeInt, i, XdrDecoder::readInt).get(30, TimeUnit.SECONDS);
                if (r == i + 1) {
                    ok++;
                }
            }
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(10)).get(20, TimeUnit.SECONDS);
        }
        System.out.println("ok " + ok);
    }
}
