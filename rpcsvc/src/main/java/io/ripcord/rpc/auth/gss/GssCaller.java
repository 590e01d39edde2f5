package io.ripcord.rpc.auth.gss;

import java.security.Principal;
import java.util.Objects;

/**
 * Who made an RPCSEC_GSS call and how it was protected: what an actor sees as {@link
 * io.ripcord.rpc.RpcCall#principal()} for a call that {@link GssAuthenticator} let through. The service is the
 * call's own (RFC 2203 section 5.3.2: each call names it in its credential, so one context may carry calls of
 * several services), which is what {@link GssSecurity}'s policies check.
 *
 * @param principal the client's Kerberos principal, as its context established it
 * @param service   the protection of this call's arguments and results
 */
public record GssCaller(GssPrincipal principal, GssService service) implements Principal {

    /**
     * Checks that both components are present.
     *
     * @param principal the client's Kerberos principal
     * @param service   the protection of this call
     * @throws NullPointerException when a component is null
     */
    public GssCaller {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(service, "service");
    }

    /** {@return the client principal's name, e.g. {@code alice@EXAMPLE.COM}} */
    @Override
    public String getName() {
        return principal.name();
    }

    @Override
    public String toString() {
        return principal.name() + " (" + service.krb5Name() + ")";
    }
}
