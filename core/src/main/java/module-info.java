/**
 * Ripcord's event pool: pollers with one {@link java.nio.channels.Selector} each, slots with generations,
 * cross-thread tasks and timers. See the package {@link io.ripcord.core} for its thread rules.
 */
module io.ripcord.core {
    requires org.slf4j;
    // Flight Recorder events (a blocked poller, a selector rebuilt): free when nothing records.
    requires jdk.jfr;

    exports io.ripcord.core;
}
