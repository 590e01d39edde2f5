package io.ripcord.core;

/**
 * What a registered channel does when it is ready (GlusterFS's {@code event_handler_t}).
 *
 * <p>The owner poller calls {@link #handle} for a ready channel, poll-out first and then poll-in, in two
 * separate calls: {@code handle(slot, false, true, false)} when the channel can write (or finish connecting),
 * then {@code handle(slot, true, false, false)} when it can read (or accept). Freeing queued output before
 * reading more input keeps memory bounded, as GlusterFS's {@code socket_event_handler} does.
 *
 * <p>Every slot ends with exactly one call {@code handle(slot, false, false, true)} (pollErr), made on the
 * owner poller after its key is cancelled, whatever ended it: a failed channel
 * operation or an exception thrown from {@code handle}, a cancelled key, {@link Slot#close()} from any thread,
 * or {@link EventPool#shutdown}. {@link Slot#failure()} tells which: {@code null} after a requested close.
 * An exception thrown from that final call is logged and ignored.
 *
 * <p>A handler runs on the owner poller: it must not block, sleep, wait on a lock held across I/O, or resolve
 * names. Work that blocks belongs on an executor; its result comes back with {@link Slot#execute}.
 */
@FunctionalInterface
public interface EventHandler {

    /**
     * Handles one readiness event of {@code slot}; exactly one of the three flags is {@code true}.
     *
     * @param slot the slot that is ready, registered with this handler; valid (and its generation current) for
     *     the duration of the call
     * @param pollIn the channel can be read (or a server channel can accept)
     * @param pollOut the channel can be written (or a connecting channel can finish connecting)
     * @param pollErr this is the slot's last call: its key is cancelled (the owner closes the channel after its
     *     next select; do not use it any more), and {@link Slot#failure()} tells why ({@code null} after a
     *     requested close)
     * @throws Exception any failure; the slot then gets its one final pollErr call and is closed
     */
    void handle(Slot slot, boolean pollIn, boolean pollOut, boolean pollErr) throws Exception;

    /**
     * What {@link EventPool#dumpState} prints for a slot of this handler: its state in one line. Called on the
     * owner poller, so it may read owner-only state; the default is {@code toString()}.
     *
     * @return one line, without a line break
     */
    default String describe() {
        return toString();
    }
}
