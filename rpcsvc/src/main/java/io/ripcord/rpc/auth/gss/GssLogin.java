package io.ripcord.rpc.auth.gss;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;

/**
 * Where a client's Kerberos credentials come from: a JAAS {@link Subject} that already holds a ticket-granting
 * ticket, a key tab, or a ticket cache filled by {@code kinit}.
 *
 * <p><b>JAAS plumbing.</b> {@link #fromKeytab} and {@link #fromTicketCache} run the JDK's
 * {@code Krb5LoginModule} through a {@link LoginContext} built with its own {@link Configuration} object, so no
 * {@code jaas.conf} file and no {@code java.security.auth.login.config} property are needed or touched, and the
 * module never prompts. The resulting subject holds the TGT; {@link GssInitiator} acquires its GSS credential
 * inside {@code Subject.doAs} of it, where JGSS looks when {@code javax.security.auth.useSubjectCredsOnly} is
 * true (its default). The Kerberos configuration ({@code krb5.conf}, the KDC's address) is the JVM's.
 *
 * <p><b>Threads.</b> The factories block: a key tab login asks the KDC for a ticket. Call them off the event
 * pool's pollers. A login is immutable once made and may be shared.
 */
public final class GssLogin {

    private static final String KRB5_LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";

    private final Subject subject;
    private final String source;

    private GssLogin(Subject subject, String source) {
        this.subject = subject;
        this.source = source;
    }

    /**
     * Credentials from a subject the application logged in itself.
     *
     * @param subject holds a {@code KerberosTicket} for the client's TGT
     * @return the login
     */
    public static GssLogin fromSubject(Subject subject) {
        return new GssLogin(Objects.requireNonNull(subject, "subject"), "the login subject");
    }

    /**
     * Logs in as {@code principal} with its key from a key tab: asks the KDC for a TGT now (blocking).
     *
     * @param principal the client principal, e.g. {@code alice@EXAMPLE.COM}
     * @param keytab    the key tab holding its key
     * @return the login
     * @throws RpcGssException when the key tab is unreadable or the KDC refuses (unknown principal, stale key,
     *                         clock skew, KDC unreachable)
     */
    public static GssLogin fromKeytab(String principal, Path keytab) throws RpcGssException {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(keytab, "keytab");
        if (!Files.isReadable(keytab)) {
            throw new RpcGssException("key tab " + keytab + " does not exist or is not readable by this process");
        }
        Map<String, String> options = new HashMap<>();
        options.put("useKeyTab", "true");
        options.put("keyTab", keytab.toString());
        options.put("principal", principal);
        options.put("storeKey", "false");
        options.put("doNotPrompt", "true");
        String source = "key tab " + keytab;
        return new GssLogin(login(options, "logging in as " + principal + " with " + source), source);
    }

    /**
     * Takes the TGT from a ticket cache, as {@code kinit} leaves it.
     *
     * @param principal the client principal the cache must hold, or null for its default principal
     * @param cache     the cache file, or null for the default one ({@code KRB5CCNAME}, else
     *                  {@code /tmp/krb5cc_<uid>})
     * @return the login
     * @throws RpcGssException when the cache is missing, empty, expired or for another principal
     */
    public static GssLogin fromTicketCache(String principal, Path cache) throws RpcGssException {
        String who = principal == null ? "the cache's principal" : principal;
        String source = cache == null ? "the default ticket cache" : "ticket cache " + cache;
        if (cache != null && !Files.isReadable(cache)) {
            throw new RpcGssException("no Kerberos ticket for " + who + ": " + source
                    + " does not exist or is not readable (run kinit" + (principal == null ? "" : " " + principal)
                    + " with KRB5CCNAME=FILE:" + cache + ")");
        }
        Map<String, String> options = new HashMap<>();
        options.put("useTicketCache", "true");
        options.put("doNotPrompt", "true");
        if (cache != null) {
            options.put("ticketCache", cache.toString());
        }
        if (principal != null) {
            options.put("principal", principal);
        }
        try {
            return new GssLogin(login(options, "no Kerberos ticket for " + who + " in " + source), source);
        } catch (RpcGssException e) {
            throw new RpcGssException(e.getMessage() + "; run kinit" + (principal == null ? "" : " " + principal)
                    + (cache == null ? "" : " with KRB5CCNAME=FILE:" + cache), e.getCause());
        }
    }

    /** {@return the subject holding the credentials} */
    public Subject subject() {
        return subject;
    }

    /** {@return the client principal's name, or null when the subject names none} */
    public String principal() {
        Set<KerberosPrincipal> ps = subject.getPrincipals(KerberosPrincipal.class);
        return ps.isEmpty() ? null : ps.iterator().next().getName();
    }

    /** Runs {@code action} with this login's subject current, where JGSS finds its tickets. */
    <T> T callAs(PrivilegedExceptionAction<T> action) throws Exception {
        try {
            return Subject.doAs(subject, action);
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    /** The GSS initiator credential of this login's default principal. */
    GSSCredential initiatorCredential(GSSManager manager) throws RpcGssException {
        try {
            return callAs(() -> manager.createCredential(null, GSSCredential.DEFAULT_LIFETIME, RpcGss.KRB5_MECHANISM,
                    GSSCredential.INITIATE_ONLY));
        } catch (GSSException e) {
            String who = principal() == null ? "any principal" : principal();
            throw new RpcGssException(KerberosErrors.explain("no Kerberos ticket for " + who + " in " + source, e), e);
        } catch (Exception e) {
            throw new RpcGssException("cannot acquire a Kerberos initiator credential from " + source + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "GssLogin[" + principal() + " from " + source + "]";
    }

    private static Subject login(Map<String, String> options, String doing) throws RpcGssException {
        Configuration configuration = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(KRB5_LOGIN_MODULE,
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        };
        Subject subject = new Subject();
        try {
            LoginContext context = new LoginContext("ripcord-rpcsec-gss", subject, callbacks -> {
                throw new UnsupportedCallbackException(callbacks[0], "no prompting for Kerberos credentials");
            }, configuration);
            context.login();
            return subject;
        } catch (LoginException e) {
            throw new RpcGssException(KerberosErrors.explain(doing, e), e);
        }
    }
}
