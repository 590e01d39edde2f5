package io.ripcord.rpc.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How one call is made: its timeout and, optionally, a credential other than the client's. Immutable; make
 * one with {@link #builder()} or {@link #timeout(Duration)}.
 */
public final class CallOptions {

    private static final CallOptions DEFAULTS = builder().build();

    private final Duration timeout;
    private final Credential credential;

    private CallOptions(Builder b) {
        this.timeout = b.timeout;
        this.credential = b.credential;
    }

    /**
     * The client's defaults: {@link RpcClientOptions#callTimeout()} and {@link RpcClientOptions#credential()}.
     *
     * @return options that set neither timeout nor credential (one shared instance)
     */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The client's credential and this timeout.
     *
     * @param timeout how long the call waits for its reply; positive
     * @return new options
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws NullPointerException     if {@code timeout} is null
     */
    public static CallOptions timeout(Duration timeout) {
        return builder().timeout(timeout).build();
    }

    /**
     * Starts options that set neither timeout nor credential.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long the call waits for its reply.
     *
     * @return a positive duration, or {@code null} for the client's {@link RpcClientOptions#callTimeout()}
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The credential the call carries.
     *
     * @return the credential, or {@code null} for the client's {@link RpcClientOptions#credential()}
     */
    public Credential credential() {
        return credential;
    }

    @Override
    public String toString() {
        return "CallOptions[timeout=" + timeout + ", credential=" + credential + "]";
    }

    /** A builder of {@link CallOptions}; not thread-safe. */
    public static final class Builder {
        private Duration timeout;
        private Credential credential;

        private Builder() {
        }

        /**
         * How long the call waits for its reply, instead of the client's call timeout.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         * @throws NullPointerException     if {@code timeout} is null
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The credential for this call only, instead of the client's.
         *
         * @param credential the credential; not {@code null}
         * @return this builder
         * @throws NullPointerException if {@code credential} is null
         */
        public Builder credential(Credential credential) {
            this.credential = Objects.requireNonNull(credential, "credential");
            return this;
        }

        /**
         * Makes the options; the builder can go on to make more.
         *
         * @return immutable options with this builder's settings
         */
        public CallOptions build() {
            return new CallOptions(this);
        }
    }

    /** This call's timeout, or the client's when the call sets none. */
    long timeoutNanos(long clientDefaultNanos) {
        return timeout != null ? timeout.toNanos() : clientDefaultNanos;
    }

    /** This call's credential, or the client's when the call sets none. */
    Credential credentialOr(Credential clientDefault) {
        return credential != null ? credential : clientDefault;
    }
}
