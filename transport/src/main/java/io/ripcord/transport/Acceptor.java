package io.ripcord.transport;

/**
 * Decides what listens to a connection a {@link Listener} accepted: the ACCEPT notification
 * (GlusterFS's {@code rpcsvc_accept}). Called on the listener's poller before the connection is registered.
 */
@FunctionalInterface
public interface Acceptor {

    /**
     * Chooses the listener of a newly accepted connection.
     *
     * @param transport the accepted connection, not registered yet: it may be configured (paused, attached to),
     *     and a message sent now is queued until it is
     * @return the listener for {@code transport}'s events; it then also hears
     *         {@link TransportListener#onAccept}
     * @throws Exception the connection is closed at once and not registered
     */
    TransportListener accept(Transport transport) throws Exception;
}
