package io.ripcord.rpc.auth.gss;

import java.security.Principal;
import java.util.Objects;

/**
 * Who called, as the GSS-API context established it: the client's Kerberos principal, e.g.
 * {@code alice@EXAMPLE.COM} ({@code GSS_Inquire_context}'s source name). What an actor sees as the caller of an
 * RPCSEC_GSS call.
 *
 * @param name the principal's name, realm included
 */
public record GssPrincipal(String name) implements Principal {

    /**
     * Checks that the name is present.
     *
     * @param name the principal's name, realm included
     * @throws NullPointerException when {@code name} is null
     */
    public GssPrincipal {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
