/**
 * The event pool: GlusterFS's {@code event-epoll.c} redone for {@code java.nio}, one
 * {@link java.nio.channels.Selector} per poller thread.
 *
 * <h2>Thread rules</h2>
 * <table>
 * <caption>who may do what</caption>
 * <tr><th>who</th><th>may do</th></tr>
 * <tr><td>the owner poller of a slot</td><td>run its handler and its tasks and timers, change its interest
 * at once, cancel its key and close its channel; nothing else ever touches a {@code SelectionKey}</td></tr>
 * <tr><td>any other thread</td><td>{@link io.ripcord.core.EventPool#register register},
 * {@link io.ripcord.core.Slot#selectOn selectOn}, {@link io.ripcord.core.Slot#close close},
 * {@link io.ripcord.core.Slot#execute execute}, {@link io.ripcord.core.Slot#schedule schedule}, and the
 * pool's {@code execute}, {@code schedule}, {@code reconfigure}, {@code shutdown}: each is queued to the owner
 * through a lock-free queue, and the owner's selector is woken only if it sleeps or is about to</td></tr>
 * </table>
 *
 * <p>Work handed to a poller is a small command object per kind (a task, a slot's task, an interest change, a
 * close, a registration, a timer), each carrying the slot generation it was made for.
 *
 * <p>Timers run by the pool's {@link io.ripcord.core.Clock} ({@link io.ripcord.core.EventPoolOptions#clock()}):
 * the system's, or in tests one moved by hand, so that timeouts fire when a test says. The watchdog and the
 * shutdown's quiet period always measure real time.
 *
 * <p>Nothing may block a poller: no locks held across I/O, no sleeping, no DNS, no {@code join}. A watchdog
 * logs (with the stack) any task or timer, or round of handlers, that holds a poller longer than
 * {@link io.ripcord.core.EventPoolOptions#blockedPollerThreshold()}. The handlers of the events one select
 * returned are timed together, with two clock reads a round rather than two per event: on a busy poller the
 * clock was a measurable share of the work per message.
 *
 * <h2>Why ownership instead of EPOLLONESHOT</h2>
 * GlusterFS lets every thread wait on one epoll set and uses EPOLLONESHOT, a per-slot {@code in_handler}
 * count and {@code event_handled()} to keep two threads out of one socket. A {@code Selector} cannot be
 * shared that way without locking each key, so here each channel belongs to exactly one poller for its
 * whole life (or until a resize moves it). The owner is the only thread that touches the key, which makes
 * the one-handler-at-a-time rule structural; other threads only ever send the owner commands. The slot's
 * generation then does the other half of GlusterFS's job: a command, timer or event made for a slot that has
 * since closed (and whose index may be in use again) is dropped.
 */
package io.ripcord.core;
