package io.ripcord.xdrgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.rpc.RpcProgram;
import io.ripcord.rpc.RpcService;
import io.ripcord.rpc.client.RpcClient;
import io.ripcord.transport.Listener;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The README's five-minute example, run: its .x, its server, its client. */
class FiveMinuteExampleTest {

    private static final Path GREETER_X = Path.of("src/test/resources/x/greeter.x");

    @Test
    void theReadmeShowsTheVeryFileThisTestCompiles() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(Files.readString(GREETER_X)), "README.md quotes greeter.x as it is");
    }

    @Test
    void aServerAndAClientFromGreeterX() throws Throwable {
        Generated g = Generated.compile("com.example.greeter", GREETER_X);
        AtomicLong count = new AtomicLong();
        Class<?> greeting = g.type("Greeting");
        Object server = Reflect.implement(g.type("GreeterV1$Server"), Map.of("greet",
                a -> Reflect.create(greeting, "hello, " + a[1], count.incrementAndGet())));
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
        try {
            RpcService service = RpcService.create();
            service.register((RpcProgram) Reflect.call(g.type("GreeterV1"), "program", server));
            Listener listener = service.listen(pool, new InetSocketAddress("127.0.0.1", 0));
            try (RpcClient rpc = RpcClient.connect(pool, listener.address()).get(5, TimeUnit.SECONDS)) {
                Object greeter = Reflect.create(g.type("GreeterV1$Client"), rpc);
                assertEquals("{text: \"hello, world\", count: 1}", Reflect.call(greeter, "greet", "world").toString());
            }
            listener.close();
        } finally {
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
    }
}
