package io.ripcord.benchmarks.jmh;

import io.ripcord.core.EventPool;
import io.ripcord.rpc.xdr.XdrDecoder;
import io.ripcord.rpc.xdr.XdrEncoder;
import io.ripcord.rpc.xdr.XdrException;
import io.ripcord.rpc.xdr.XdrType;
import io.ripcord.transport.Transport;
import io.ripcord.xdrgen.GeneratedSource;
import io.ripcord.xdrgen.InProcessCompiler;
import io.ripcord.xdrgen.XdrCompiler;
import io.ripcord.xdrgen.XdrCompilerOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.slf4j.LoggerFactory;

/**
 * An NFSv2 READDIR result of 100 entries ({@code readdirres} of Debian's {@code /usr/include/rpcsvc/nfs_prot.x}:
 * a union over an optional-data linked list of {@code entry}) decoded and encoded by the code xdrgen generates.
 * The file is compiled when the benchmark starts (xdrgen, then javac in memory), since a machine without it must
 * still build; {@code jmh} leaves this benchmark out, saying so, where the file is missing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NfsReaddirBenchmark {

    public static final Path NFS_PROT_X = Path.of("/usr/include/rpcsvc/nfs_prot.x");
    private static final int ENTRIES = 100;
    private static final int NFS_OK = 0;

    private XdrType<Object> readdirres;
    private Object value;
    private ByteBuffer encoded;
    private XdrEncoder encoder;

    @SuppressWarnings("unchecked")
    @Setup
    public void setUp() throws Exception {
        if (!Files.isRegularFile(NFS_PROT_X)) {
            throw new IllegalStateException(NFS_PROT_X + " is missing (Debian rpcsvc-proto)");
        }
        List<GeneratedSource> sources = XdrCompiler.create(XdrCompilerOptions.builder().packageName("bench.nfs")
                .build()).compile(List.of(NFS_PROT_X));
        ClassLoader loader = InProcessCompiler.compile(sources, InProcessCompiler.locationsOf(XdrDecoder.class,
                Transport.class, EventPool.class, LoggerFactory.class), getClass().getClassLoader()).loader();
        Map<String, XdrType<?>> types = (Map<String, XdrType<?>>) loader.loadClass("bench.nfs.NfsProtRegistry")
                .getMethod("types").invoke(null);
        readdirres = (XdrType<Object>) types.get("readdirres");
        encoded = ByteBuffer.wrap(listing());
        value = readdirres.decodeExactly(encoded);
        encoder = new XdrEncoder();
    }

    /** {@code readdirres}: NFS_OK, then 100 {@code entry}s (fileid, name, 4-byte cookie, link), then eof. */
    private static byte[] listing() {
        XdrEncoder e = new XdrEncoder();
        e.writeInt(NFS_OK);
        for (int i = 0; i < ENTRIES; i++) {
            e.writeBoolean(true);
            e.writeUnsignedInt(1000 + i);
            e.writeString(String.format("file-%04d.txt", i), 255);
            e.writeFixedOpaque(ByteBuffer.allocate(4).putInt(i + 1).array());
        }
        e.writeBoolean(false);
        e.writeBoolean(true);
        ByteBuffer b = e.toBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Benchmark
    public Object decode() throws XdrException {
        return readdirres.decode(new XdrDecoder(encoded.duplicate()));
    }

    @Benchmark
    public int encode() {
        encoder.reset();
        readdirres.encode(encoder, value);
        return encoder.size();
    }

    /** For the {@code jmh} command: the text that says why this benchmark is left out, or null. */
    public static String missing() {
        return Files.isRegularFile(NFS_PROT_X) ? null
                : "NfsReaddirBenchmark left out: " + NFS_PROT_X + " is missing (apt-get install rpcsvc-proto)";
    }
}
