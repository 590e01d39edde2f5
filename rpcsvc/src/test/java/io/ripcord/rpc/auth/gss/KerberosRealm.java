package io.ripcord.rpc.auth.gss;

import io.ripcord.testsupport.External;
import io.ripcord.testsupport.MitKdc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one {@link MitKdc} realm shared by every test class in this JVM that uses this extension: started when a
 * test first asks for it, stopped and removed when the whole test run ends (the root context's store closes
 * it). A test gets it as a parameter of its {@code @BeforeEach} method (per test rather than per class, so that
 * a missing KDC shows as each test skipped with the reason, not as a class that silently ran nothing).
 *
 * <p><b>Why one realm per JVM.</b> The JDK's Kerberos reads its configuration once: {@code
 * sun.security.krb5.Config} is a JVM-wide singleton built from the {@code java.security.krb5.conf} system
 * property the first time anything Kerberos runs, and only {@code Config.refresh()} (internal, not exported) or
 * {@code Krb5LoginModule}'s {@code refreshKrb5Config} option (which refreshes it for everyone) rereads it. A KDC
 * on a new port per class would therefore need a global refresh between classes, racing with anything else
 * using Kerberos in the JVM. Instead the property is set once, before the first Kerberos use, to this realm's
 * krb5.conf, and every class uses the same realm; the realm's principals are fixed and tests never change them,
 * so sharing it couples nothing. If the property already names another file, the tests fail rather than
 * quietly use it. MIT tools get the realm through their environment ({@link MitKdc#env()}), never through
 * {@code /etc}.
 *
 * <p>Where the KDC tools are missing or the KDC cannot start (no packages; a network namespace without
 * loopback), every test using the realm fails under {@code CI=true} and is skipped elsewhere, before it does
 * its work; the reason is decided once and reused.
 */
final class KerberosRealm implements BeforeEachCallback, ParameterResolver {

    static final String KRB5_CONF_PROPERTY = "java.security.krb5.conf";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KerberosRealm.class);

    /** What the store holds: the running realm, or why there is none. */
    private record Outcome(MitKdc kdc, String unavailable) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            if (kdc != null) {
                kdc.close();
            }
        }
    }

    /** Fails or skips the test before its {@code @BeforeEach} methods ask for the realm (a parameter cannot). */
    @Override
    public void beforeEach(ExtensionContext context) {
        realm(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MitKdc.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return realm(context);
    }

    private static MitKdc realm(ExtensionContext context) {
        Outcome outcome = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("realm", key -> startRealm(), Outcome.class);
        if (outcome.unavailable() != null) {
            External.unavailable(outcome.unavailable());
        }
        return outcome.kdc();
    }

    private static Outcome startRealm() {
        for (String tool : List.of("krb5kdc", "kdb5_util", "kadmin.local")) {
            if (External.findExecutable(tool).isEmpty()) {
                return new Outcome(null, "MIT Kerberos KDC tool " + tool + " is not installed (Debian packages"
                        + " krb5-kdc, krb5-admin-server)");
            }
        }
        List<Path> tools = List.of(External.findExecutable("krb5kdc").get(), External.findExecutable("kdb5_util").get(),
                External.findExecutable("kadmin.local").get());
        String loopback = loopbackProblem();
        if (loopback != null) {
            return new Outcome(null, "no loopback network to run a KDC on: " + loopback);
        }
        MitKdc kdc;
        try {
            kdc = MitKdc.start(tools);
        } catch (IOException | RuntimeException e) {
            return new Outcome(null, "the throw-away MIT KDC did not start (no loopback network?): " + e);
        }
        String conf = kdc.krb5Conf().toString();
        String before = System.getProperty(KRB5_CONF_PROPERTY);
        if (before != null && !before.equals(conf)) {
            Assertions.fail(KRB5_CONF_PROPERTY + " is already " + before + "; the RPCSEC_GSS tests need their own"
                    + " realm's krb5.conf and the JDK reads it only once per JVM");
        }
        System.setProperty(KRB5_CONF_PROPERTY, conf);
        return new Outcome(kdc, null);
    }

    /** Whether 127.0.0.1 takes a connection (not inside {@code unshare -n}, where loopback is down); null if so. */
    private static String loopbackProblem() {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                Socket s = new Socket()) {
            s.connect(listener.getLocalSocketAddress(), 1000);
            return null;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
