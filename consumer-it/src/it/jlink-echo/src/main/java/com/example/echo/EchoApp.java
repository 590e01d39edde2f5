package com.example.echo;

import io.ripcord.core.EventPool;
import io.ripcord.core.EventPoolOptions;
import io.ripcord.transport.Listener;
import io.ripcord.transport.ListenerOptions;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Echoes every byte back; with {@code --self-test}, echoes 64 KiB through itself and exits 0 when they match. */
public final class EchoApp {

    private EchoApp() {
    }

    public static void main(String[] args) throws Exception {
        boolean selfTest = args.length > 0 && args[0].equals("--self-test");
        int port = selfTest || args.length == 0 ? 0 : Integer.parseInt(args[0]);
        EventPool pool = EventPool.create(EventPoolOptions.builder().pollers(1).build()).start();
        Listener listener = Listener.bind(pool, new InetSocketAddress("127.0.0.1", port), ListenerOptions.defaults(),
                transport -> (t, message) -> t.send(message));
        System.out.println("listening on " + listener.address());
        if (!selfTest) {
            pool.dispatch();
            return;
        }
        byte[] sent = new byte[64 * 1024];
        new Random(7).nextBytes(sent);
        byte[] got = new byte[sent.length];
        try (Socket s = new Socket()) {
            s.connect(listener.address(), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(sent);
            out.flush();
            new DataInputStream(s.getInputStream()).readFully(got);
        } finally {
            listener.close();
            pool.shutdown(Duration.ZERO, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        }
        if (!Arrays.equals(sent, got)) {
            System.out.println("self-test FAILED: the echoed bytes differ");
            System.exit(1);
        }
        System.out.println("self-test passed: 65536 bytes echoed by " + Runtime.version() + " in a jlink image");
    }
}
