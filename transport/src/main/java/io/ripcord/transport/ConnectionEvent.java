package io.ripcord.transport;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR: a connection accepted, connected or ended, with its addresses and, when it ended, its cause. One event type
 * with a kind, so one setting turns them on; the stack is left out (it is always the poller's loop).
 *
 * <p>{@link #PROBE} answers {@link #isEnabled()} without allocating: the sites make an event only when a
 * recording wants it, so a connection costs nothing extra when nobody records.
 */
@Name("io.ripcord.Connection")
@Label("Connection")
@Category({"Ripcord", "Transport"})
@Description("A connection accepted by a listener, connected by a client, or disconnected (with its cause)")
@StackTrace(false)
final class ConnectionEvent extends jdk.jfr.Event {

    /** Asked whether events are wanted; never committed. */
    static final ConnectionEvent PROBE = new ConnectionEvent();

    @Label("Kind")
    @Description("ACCEPT, CONNECT or DISCONNECT")
    String kind;

    @Label("Local Address")
    String local;

    @Label("Remote Address")
    String remote;

    @Label("Cause")
    @Description("Why it ended (DISCONNECT only): EOF, RESET, TIMEOUT, PROTOCOL, LOCAL_CLOSE, SHUTDOWN")
    String cause;

    @Label("Error")
    String error;

    /** Commits one event if a recording wants it. On the owner poller. */
    static void record(String kind, Transport t, DisconnectCause cause, Throwable error) {
        if (!PROBE.isEnabled()) {
            return;
        }
        ConnectionEvent e = new ConnectionEvent();
        e.kind = kind;
        e.local = String.valueOf(t.localAddress());
        e.remote = String.valueOf(t.remoteAddress());
        e.cause = cause == null ? null : cause.name();
        e.error = error == null ? null : error.toString();
        e.commit();
    }
}
