package io.ripcord.core;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR: the watchdog found a poller held by one handler, task or timer past the limit (the GlusterFS
 * ping-timeout root cause). Committed from the watchdog's thread; the poller's stack is in {@link #stack}.
 */
@Name("io.ripcord.PollerBlocked")
@Label("Poller Blocked")
@Category({"Ripcord", "Event Pool"})
@Description("A poller has been held by one handler, task or timer longer than the watchdog's limit")
final class PollerBlocked extends jdk.jfr.Event {

    @Label("Poller")
    String poller;

    @Label("Held For")
    @Timespan(Timespan.NANOSECONDS)
    long heldNanos;

    @Label("Limit")
    @Timespan(Timespan.NANOSECONDS)
    long limitNanos;

    @Label("Poller Stack")
    @Description("The top frames of the poller thread when the watchdog looked")
    String stack;
}
