package io.ripcord.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A server process (a JVM from a jar, or a native program) that prints {@code listening on <host/addr:port>...} when ready. */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    private final InetSocketAddress address;

    private ServerProcess(String name, List<String> command) throws IOException {
        this.name = name;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        CompareEchoCommand.drain(process.getInputStream(), tail, listening);
        String line;
        try {
            line = listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new IOException(name + " did not print 'listening on': " + tail(), e);
        }
        // "/127.0.0.1:1234 (tcp, udp)" or "localhost/127.0.0.1:1234"
        String a = line.split(" ")[0];
        String host = a.substring(a.indexOf('/') + 1, a.lastIndexOf(':'));
        int port = Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
        this.address = new InetSocketAddress(host, port);
    }

    /** Starts {@code command} (a program that prints {@code listening on HOST:PORT}) and waits until it listens. */
    static ServerProcess command(String name, List<String> command) throws IOException {
        return new ServerProcess(name, command);
    }

    /** Starts {@code java [jvmArgs] -jar jarAndArgs...} and waits until it listens. */
    static ServerProcess start(String name, List<String> jvmArgs, List<String> jarAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(CompareEchoCommand.javaExecutable());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.addAll(jarAndArgs);
        return new ServerProcess(name, cmd);
    }

    InetSocketAddress address() {
        return address;
    }

    long pid() {
        return process.pid();
    }

    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                System.err.println(name + " ignored SIGTERM for 20 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
