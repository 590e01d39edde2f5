package com.example.greeter;

import com.example.greeter.protocol.Greeting;
import com.example.greeter.protocol.GreeterV1;
import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcCall;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.transport.Listener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The greeter: a program version implemented, served on loopback, and called, as a user would. */
public final class Greeter implements GreeterV1.Server {

    private final AtomicLong count = new AtomicLong();

    @Override
    public Greeting greet(RpcCall call, String name) {
        return new Greeting("hello, " + name, count.incrementAndGet());
    }

    /** Serves the greeter on an ephemeral loopback port, calls it {@code times} times, returns the last greeting. */
    public static Greeting serveAndCall(String name, int times) throws Exception {
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
        try {
            RpcService service = RpcService.create();
            service.register(GreeterV1.program(new Greeter()));
            Listener listener = service.listen(pool, new InetSocketAddress("127.0.0.1", 0));
            Greeting last = null;
            try (RpcClient rpc = RpcClient.connect(pool, listener.address()).get(10, TimeUnit.SECONDS)) {
                GreeterV1.Client greeter = new GreeterV1.Client(rpc);
                for (int i = 0; i < times; i++) {
                    last = greeter.greet(name);
                }
            }
            listener.close();
            return last;
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(serveAndCall(args.length > 0 ? args[0] : "world", 1));
    }
}
