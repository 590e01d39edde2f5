package io.ripcord.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away MIT Kerberos realm, {@value #REALM}, for the RPCSEC_GSS tests and the {@code rpc-gss} benchmark: a temporary directory with its own {@code kdc.conf},
 * {@code krb5.conf}, database (master key and stash), principals and key tabs, and {@code krb5kdc} running in
 * the foreground on a free loopback port, TCP and UDP. {@link #close()} stops the KDC and removes the directory.
 *
 * <p>Nothing outside the directory changes: every MIT tool runs with {@code KRB5_CONFIG}, {@code KRB5_KDC_PROFILE},
 * {@code KRB5CCNAME} and {@code KRB5RCACHEDIR} pointing into it. Principals: the services {@value #KV_SERVICE} and
 * {@value #NFS_SERVICE} (key tab {@link #serviceKeytab()}, both), the users {@value #ALICE} and {@value #BOB}
 * (key tabs {@link #keytab(String)}), each with a random key.
 *
 * <p>The JDK reads its Kerberos configuration once per JVM: point {@code java.security.krb5.conf} at
 * {@link #krb5Conf()} before anything in the JVM uses Kerberos, and use one realm per JVM.
 */
public final class MitKdc implements AutoCloseable {

    public static final String REALM = "RIPCORD.TEST";
    public static final String KV_SERVICE = "kv/localhost@" + REALM;
    public static final String NFS_SERVICE = "nfs/localhost@" + REALM;
    public static final String ALICE = "alice@" + REALM;
    public static final String BOB = "bob@" + REALM;

    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration KDC_START = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final Process kdc;
    private final Map<String, String> env;

    private MitKdc(Path dir, int port, Process kdc, Map<String, String> env) {
        this.dir = dir;
        this.port = port;
        this.kdc = kdc;
        this.env = env;
    }

    /**
     * Creates the realm and starts its KDC.
     *
     * @param tools krb5kdc, kdb5_util and kadmin.local, in that order
     * @throws IOException when a tool fails or the KDC does not come up; its log is in the message
     */
    public static MitKdc start(List<Path> tools) throws IOException {
        Path dir = Files.createTempDirectory("ripcord-kdc-");
        try {
            return start(dir, tools);
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    private static MitKdc start(Path dir, List<Path> tools) throws IOException {
        Map<String, String> env = Map.of(
                "KRB5_CONFIG", dir.resolve("krb5.conf").toString(),
                "KRB5_KDC_PROFILE", dir.resolve("kdc.conf").toString(),
                "KRB5CCNAME", "FILE:" + dir.resolve("ccache-tools"),
                "KRB5RCACHEDIR", dir.toString());
        Files.writeString(dir.resolve("kadm5.acl"), "");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = freePort();
            writeConfigs(dir, port);
            if (attempt == 0) {
                run(dir, env, tools.get(1).toString(), "create", "-s", "-r", REALM, "-P", "ripcord-master-key");
                for (String p : List.of(KV_SERVICE, NFS_SERVICE, ALICE, BOB)) {
                    run(dir, env, tools.get(2).toString(), "-r", REALM, "-q", "addprinc -randkey " + p);
                }
                run(dir, env, tools.get(2).toString(), "-r", REALM, "-q",
                        "ktadd -k " + dir.resolve("services.keytab") + " " + KV_SERVICE + " " + NFS_SERVICE);
                for (String user : List.of(ALICE, BOB)) {
                    run(dir, env, tools.get(2).toString(), "-r", REALM, "-q",
                            "ktadd -k " + dir.resolve(user.substring(0, user.indexOf('@')) + ".keytab") + " " + user);
                }
            }
            ProcessBuilder pb = new ProcessBuilder(tools.get(0).toString(), "-n", "-r", REALM)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("krb5kdc.out").toFile());
            pb.environment().putAll(env);
            Process kdc = pb.start();
            try {
                awaitAnswer(kdc, port);
            } catch (IOException | RuntimeException e) {
                stop(kdc);
                throw new IOException(e.getMessage() + ":\n" + read(dir.resolve("kdc.log")), e);
            }
            if (kdc.isAlive()) {
                return new MitKdc(dir, port, kdc, env);
            }
            last = new IOException("krb5kdc exited with " + kdc.exitValue() + " on port " + port + ":\n"
                    + read(dir.resolve("krb5kdc.out")) + read(dir.resolve("kdc.log")));
        }
        throw last;
    }

    /**
     * Waits until the KDC takes connections on {@code port}, or exits; paced by waiting for its exit, not by
     * sleeping.
     */
    private static void awaitAnswer(Process kdc, int port) throws IOException {
        long deadline = System.nanoTime() + KDC_START.toNanos();
        try {
            while (!answers(port)) {
                if (kdc.waitFor(50, TimeUnit.MILLISECONDS)) {
                    return; // exited: the caller reports its output
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("krb5kdc did not answer on 127.0.0.1:" + port + " within " + KDC_START);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for krb5kdc", e);
        }
    }

    /** {@return the directory holding the realm's files} */
    public Path dir() {
        return dir;
    }

    /** {@return the KDC's port on 127.0.0.1, TCP and UDP} */
    public int port() {
        return port;
    }

    /** {@return the realm's krb5.conf, for JGSS ({@code java.security.krb5.conf}) and MIT tools} */
    public Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    /** {@return the key tab holding both services' keys} */
    public Path serviceKeytab() {
        return dir.resolve("services.keytab");
    }

    /** {@return the key tab of a user principal, {@link #ALICE} or {@link #BOB}} */
    public Path keytab(String user) {
        return dir.resolve(user.substring(0, user.indexOf('@')) + ".keytab");
    }

    /** {@return the environment MIT tools need to use this realm and nothing else} */
    public Map<String, String> env() {
        return env;
    }

    /** {@return whether the KDC is still running} */
    public boolean running() {
        return kdc.isAlive();
    }

    /**
     * Runs {@code kinit} for {@code user} from its key tab into a new ticket cache in the realm's directory.
     *
     * @return the ticket cache file
     */
    public Path kinit(Path kinitTool, String user, String cacheName) throws IOException {
        Path cache = dir.resolve(cacheName);
        run(dir, Map.of("KRB5_CONFIG", krb5Conf().toString(), "KRB5CCNAME", "FILE:" + cache,
                "KRB5RCACHEDIR", dir.toString()), kinitTool.toString(), "-k", "-t", keytab(user).toString(), user);
        return cache;
    }

    @Override
    public void close() throws IOException {
        stop(kdc);
        deleteTree(dir);
    }

    private static void stop(Process kdc) {
        kdc.destroy();
        try {
            if (!kdc.waitFor(10, TimeUnit.SECONDS)) {
                kdc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeConfigs(Path dir, int port) throws IOException {
        Files.writeString(dir.resolve("kdc.conf"), String.join("\n",
                "[kdcdefaults]",
                " kdc_listen = 127.0.0.1:" + port,
                " kdc_tcp_listen = 127.0.0.1:" + port,
                "[realms]",
                " " + REALM + " = {",
                "  database_name = " + dir.resolve("principal"),
                "  key_stash_file = " + dir.resolve("stash"),
                "  acl_file = " + dir.resolve("kadm5.acl"),
                "  max_life = 1h",
                "  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal",
                " }",
                "[logging]",
                " kdc = FILE:" + dir.resolve("kdc.log"),
                " admin_server = FILE:" + dir.resolve("kadmin.log"),
                " default = FILE:" + dir.resolve("krb5lib.log"),
                ""));
        // No DNS anywhere: the KDC by address, localhost mapped to the realm, host names taken as given (both
        // MIT's library and the JDK's honour dns_canonicalize_hostname).
        Files.writeString(dir.resolve("krb5.conf"), String.join("\n",
                "[libdefaults]",
                " default_realm = " + REALM,
                " dns_lookup_kdc = false",
                " dns_lookup_realm = false",
                " dns_canonicalize_hostname = false",
                " rdns = false",
                " udp_preference_limit = 1",
                "[realms]",
                " " + REALM + " = {",
                "  kdc = 127.0.0.1:" + port,
                " }",
                "[domain_realm]",
                " localhost = " + REALM,
                ""));
    }

    /** A port free on 127.0.0.1 for both TCP and UDP right now (the KDC may still lose a race for it). */
    private static int freePort() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port))) {
                    return port;
                } catch (IOException taken) {
                    // The UDP port is in use: try another TCP port.
                }
            }
        }
        throw new IOException("no port free for both TCP and UDP on 127.0.0.1");
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static String run(Path dir, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in " + TOOL_TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + command[0], e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + p, e);
            }
        }
    }
}
