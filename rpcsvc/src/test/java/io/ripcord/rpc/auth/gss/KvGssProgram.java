package io.ripcord.rpc.auth.gss;

import io.ripcord.testsupport.External;
import io.ripcord.testsupport.MitKdc;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a C program around {@code kv.x}: rpcgen's header, XDR routines and client or server stubs, a main from
 * this package's resources, gcc against libtirpc (and MIT's GSS-API). Fails or skips the test (the CI rule)
 * when rpcgen, gcc or the headers are missing.
 */
final class KvGssProgram {

    private KvGssProgram() {
    }

    /**
     * @param dir      where to build (created)
     * @param stubs    rpcgen's mode and output for the stubs: {@code -l kv_clnt.c} or {@code -m kv_svc.c}
     * @param main     the resource holding {@code main}, e.g. {@code kv_gss_client.c}
     * @param libs     what to link besides libtirpc, e.g. {@code -lgssapi_krb5}
     * @return the executable
     */
    static Path build(Path dir, String stubMode, String stubFile, String main, String... libs) throws IOException {
        List<Path> tools = External.requireExecutables("rpcsvc-proto, gcc", "rpcgen", "gcc");
        for (String header : List.of("/usr/include/tirpc/rpc/auth_gss.h", "/usr/include/tirpc/rpc/svc_auth_gss.h",
                "/usr/include/gssapi/gssapi.h")) {
            if (!Files.exists(Path.of(header))) {
                External.unavailable("the C header " + header + " is missing (apt-get install libtirpc-dev libkrb5-dev)");
            }
        }
        Files.createDirectories(dir);
        Files.copy(kvDotX(), dir.resolve("kv.x"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> env = Map.of();
        String rpcgen = tools.get(0).toString();
        MitKdc.run(dir, env, rpcgen, "-h", "-o", "kv.h", "kv.x");
        MitKdc.run(dir, env, rpcgen, stubMode, "-o", stubFile, "kv.x");
        MitKdc.run(dir, env, rpcgen, "-c", "-o", "kv_xdr.c", "kv.x");
        try (InputStream in = KvGssProgram.class.getResourceAsStream(main)) {
            Files.copy(in, dir.resolve(main));
        }
        String executable = main.substring(0, main.length() - 2);
        List<String> gcc = new ArrayList<>(List.of(tools.get(1).toString(), "-Wall", "-Wno-unused-variable",
                "-Wno-unused-but-set-variable", "-I/usr/include/tirpc", "-o", executable, main, stubFile, "kv_xdr.c",
                "-ltirpc"));
        gcc.addAll(List.of(libs));
        MitKdc.run(dir, env, gcc.toArray(String[]::new));
        return dir.resolve(executable);
    }

    /** The examples' kv.x, the protocol both sides are generated from. */
    static Path kvDotX() {
        Path p = Path.of("../examples/src/main/xdr/kv.x");
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("kv.x not found at " + p.toAbsolutePath());
        }
        return p;
    }
}
