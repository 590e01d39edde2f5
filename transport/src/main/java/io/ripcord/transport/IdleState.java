package io.ripcord.transport;

/** Which idle timeout expired (see {@link TransportOptions.Builder#readIdleTimeout}). */
public enum IdleState {
    /** Nothing was read for the read-idle timeout. */
    READ_IDLE,
    /** Nothing was written for the write-idle timeout. */
    WRITE_IDLE,
    /** Nothing was read or written for the all-idle timeout. */
    ALL_IDLE
}
