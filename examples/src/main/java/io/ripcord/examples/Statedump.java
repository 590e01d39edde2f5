package io.ripcord.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running example server's statedump, GlusterFS style ({@code kill -USR1 <pid>} makes glusterfsd write one): on
 * {@code SIGUSR1} the server's live state (its event pool's pollers and connections, its RPC service's programs with
 * their counts and each connection's outstanding calls) is printed to standard output between two marker lines.
 *
 * <p>Why {@code sun.misc.Signal}: the JDK has no supported API for handling a signal, and this one (module
 * {@code jdk.unsupported}) works on every JDK we build on. It is reached by reflection because javac warns at every
 * mention of a {@code sun.misc} type and no {@code @SuppressWarnings} silences that warning. Only the examples use
 * it; the library modules offer {@code dumpState(Appendable)} and leave the trigger to the application.
 *
 * <p>Threads: the handler runs on the JVM's signal dispatcher thread, never on a poller, so the event pool's dump
 * may wait for its pollers.
 */
public final class Statedump {

    /** The signal GlusterFS takes for a statedump. */
    public static final String SIGNAL = "USR1";
    /** The first line of every dump. */
    public static final String BEGIN = "=== ripcord statedump ===";
    /** The last line of every dump. */
    public static final String END = "=== end of statedump ===";

    private static final Logger log = LoggerFactory.getLogger(Statedump.class);

    /** What a server writes into its dump. */
    @FunctionalInterface
    public interface Source {
        /**
         * Writes the server's state.
         *
         * @param out where to write
         * @throws IOException if {@code out} fails
         */
        void dumpState(Appendable out) throws IOException;
    }

    private final Source source;
    private final PrintWriter out;

    private Statedump(Source source, PrintWriter out) {
        this.source = source;
        this.out = out;
    }

    /**
     * A dump of {@code source} printed to {@code out} whenever {@link #print()} is called; no signal is handled.
     *
     * @param source what to dump
     * @param out    where to print it
     * @return the dump
     */
    public static Statedump of(Source source, PrintWriter out) {
        return new Statedump(Objects.requireNonNull(source, "source"), Objects.requireNonNull(out, "out"));
    }

    /**
     * Prints {@code source}'s dump to {@code out} on every {@code SIGUSR1} from now on (replacing the JVM's default,
     * which ends the process).
     *
     * @param source what to dump
     * @param out    where to print it
     * @return the dump, whose {@link #print()} the signal runs
     * @throws IllegalStateException if this JVM does not let the signal be handled (e.g. {@code -Xrs}, or no
     *                               {@code jdk.unsupported} module)
     */
    public static Statedump onSignal(Source source, PrintWriter out) {
        Statedump dump = of(source, out);
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object printing = Proxy.newProxyInstance(Statedump.class.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> dump.answer(proxy, method, args));
            Method handle = signal.getMethod("handle", signal, handler);
            handle.invoke(null, signal.getConstructor(String.class).newInstance(SIGNAL), printing);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("SIG" + SIGNAL + " cannot be handled in this JVM: " + e.getCause(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no sun.misc.Signal in this JVM: " + e, e);
        }
        return dump;
    }

    /** The signal handler's methods: {@code handle(Signal)} prints; those of {@code Object} behave as usual. */
    private Object answer(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "handle":
                print();
                return null;
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                return "Statedump on SIG" + SIGNAL;
        }
    }

    /** Prints one dump now: what the signal does. */
    public void print() {
        String text = text();
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    /**
     * One dump's text: the marker line, when and which process, the server's state, the end marker.
     *
     * @return lines, each ending with a line break
     */
    public String text() {
        StringBuilder b = new StringBuilder(BEGIN).append('\n').append("time ").append(Instant.now())
                .append(", pid ").append(ProcessHandle.current().pid()).append(", uptime ")
                .append(ManagementFactory.getRuntimeMXBean().getUptime()).append(" ms\n");
        try {
            source.dumpState(b);
        } catch (IOException | RuntimeException e) {
            log.warn("statedump failed", e);
            b.append("(the dump failed: ").append(e).append(")\n");
        }
        return b.append(END).append('\n').toString();
    }
}
