package io.ripcord.xdrgen.maven;

import io.ripcord.xdrgen.GeneratedSource;
import io.ripcord.xdrgen.XdrCompileException;
import io.ripcord.xdrgen.XdrCompiler;
import io.ripcord.xdrgen.XdrCompilerOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code ripcord:generate}: compiles the {@code .x} files of a directory (default {@code src/main/xdr}) into
 * Java sources under {@code target/generated-sources/xdr}, which it adds to the compile source roots. All the
 * files of one execution are compiled together into one package; for several packages, use several
 * executions. A generated file whose content did not change is not rewritten, and a generated file (one that
 * starts with the xdrgen marker) that this run no longer produces is deleted from the package's directory.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** Where the {@code .x} files are. */
    @Parameter(defaultValue = "${project.basedir}/src/main/xdr", property = "xdrgen.sourceDirectory")
    File sourceDirectory;

    /**
     * Which files to compile, as paths relative to {@link #sourceDirectory} ({@code kv.x},
     * {@code nfs/nfs_prot.x}); every {@code *.x} below it when empty.
     */
    @Parameter
    List<String> includes = new ArrayList<>();

    /** The Java package of the generated classes. */
    @Parameter(required = true, property = "xdrgen.packageName")
    String packageName;

    /** Preprocessor symbols, {@code NAME} or {@code NAME=VALUE} (rpcgen's {@code RPC_HDR}, ...). */
    @Parameter
    List<String> defines = new ArrayList<>();

    /** Where {@code #include} looks after the including file's directory. */
    @Parameter
    List<File> includeDirectories = new ArrayList<>();

    /** The source root the Java goes to. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/xdr", property = "xdrgen.outputDirectory")
    File outputDirectory;

    /**
     * What to do when {@link #sourceDirectory} does not exist: fail (the default), or only log it, for a
     * build that compiles a system's {@code .x} files when the system has them.
     */
    @Parameter(defaultValue = "true", property = "xdrgen.failIfMissing")
    boolean failIfMissing = true;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** Made by Maven for each execution, which then sets the parameters above from the plugin's configuration. */
    public GenerateMojo() {
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Path sources = sourceDirectory.toPath();
        if (!Files.isDirectory(sources)) {
            if (failIfMissing) {
                throw new MojoFailureException("no .x source directory " + sources);
            }
            getLog().info("No .x source directory " + sources + ": nothing to generate");
            return;
        }
        List<Path> files = files(sources);
        if (files.isEmpty()) {
            getLog().info("No .x files in " + sources + ": nothing to generate");
            return;
        }
        XdrCompilerOptions options = options();
        List<GeneratedSource> generated;
        try {
            generated = XdrCompiler.create(options).compileTo(outputDirectory.toPath(), files);
        } catch (XdrCompileException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write the generated sources under " + outputDirectory, e);
        }
        int deleted = deleteStale(generated);
        getLog().info("Generated " + generated.size() + " Java sources in " + packageName + " from " + files.size()
                + " .x file(s)" + (deleted > 0 ? ", deleted " + deleted + " stale one(s)" : ""));
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
    }

    private XdrCompilerOptions options() throws MojoFailureException {
        try {
            XdrCompilerOptions.Builder b = XdrCompilerOptions.builder().packageName(packageName);
            for (String d : defines) {
                b.defineFromText(d.strip());
            }
            for (File dir : includeDirectories) {
                b.includeDirectory(dir.toPath());
            }
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MojoFailureException("ripcord:generate configuration: " + e.getMessage(), e);
        }
    }

    private List<Path> files(Path sources) throws MojoExecutionException, MojoFailureException {
        if (!includes.isEmpty()) {
            List<Path> out = new ArrayList<>();
            for (String include : includes) {
                Path p = sources.resolve(include.strip());
                if (!Files.isRegularFile(p)) {
                    throw new MojoFailureException("included .x file " + p + " does not exist");
                }
                out.add(p);
            }
            return out;
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.toString().endsWith(".x") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("cannot list " + sources, e);
        }
    }

    /** Deletes generated files of this package that this run did not produce (a type removed from a .x). */
    private int deleteStale(List<GeneratedSource> generated) throws MojoExecutionException {
        Path packageDir = outputDirectory.toPath().resolve(packageName.replace('.', File.separatorChar));
        Set<Path> current = new HashSet<>();
        for (GeneratedSource s : generated) {
            current.add(outputDirectory.toPath().resolve(s.relativePath()).toAbsolutePath().normalize());
        }
        int deleted = 0;
        try (Stream<Path> list = Files.list(packageDir)) {
            for (Path p : list.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (!current.contains(p.toAbsolutePath().normalize()) && isGenerated(p)) {
                    Files.delete(p);
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot clean stale sources in " + packageDir, e);
        }
        return deleted;
    }

    private static boolean isGenerated(Path p) throws IOException {
        try (var r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first != null && first.startsWith(GeneratedSource.MARKER);
        }
    }
}
