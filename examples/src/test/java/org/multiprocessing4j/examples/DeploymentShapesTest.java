package org.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.Process;

/**
 * The shapes Java applications are deployed in, each built from the small application in
 * {@code src/test/fixtures/shapes} (a {@code Process} and a {@code Pool} whose tasks call a library of
 * another jar) and run as a user runs it: a new {@code java} of this JDK, whose children must find the
 * application's classes and the library's in each shape. Class-data sharing is on, with a cache of this
 * test's own, so that each shape's first children train it as a newcomer's do.
 */
class DeploymentShapesTest {
    private static final Path FIXTURES = Path.of("src/test/fixtures/shapes").toAbsolutePath();
    private static final String MAIN = "shapes.app.Main";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    static Path work;

    /** Runs each shape's JVM, and fails the test if anything it started is left running. */
    @RegisterExtension
    final ExampleJvms jvms = new ExampleJvms();

    /** The application's pieces, compiled once: core, the library (plain and modular), the application (plain and modular). */
    private record Pieces(Path core, Path lib, Path libModule, Path appClasses, Path app, Path appModule) {
    }

    private static Pieces pieces;

    @BeforeAll
    static void compile() throws IOException {
        Path core = coreJar();
        Path libClasses = javac("lib", List.of(FIXTURES.resolve("lib")), List.of());
        Path lib = jar(work.resolve("jars/shapes-lib.jar"), null, libClasses);
        Path libModuleClasses = javac("lib-module", List.of(FIXTURES.resolve("lib"), FIXTURES.resolve("lib-module")), List.of());
        Path libModule = jar(work.resolve("modules/shapes-lib.jar"), null, libModuleClasses);
        Path appClasses = javac("app", List.of(FIXTURES.resolve("app")),
                List.of("-cp", core + File.pathSeparator + lib));
        Path app = jar(work.resolve("jars/shapes-app.jar"), null, appClasses);
        Path appModuleClasses = javac("app-module", List.of(FIXTURES.resolve("app"), FIXTURES.resolve("app-module")),
                List.of("--module-path", core + File.pathSeparator + libModule));
        Path appModule = jar(work.resolve("modules/shapes-app.jar"), null, appModuleClasses);
        pieces = new Pieces(core, lib, libModule, appClasses, app, appModule);
    }

    @Test
    void classPathOfJars() throws Exception {
        runs(List.of("-cp", path(pieces.app(), pieces.core(), pieces.lib()), MAIN));
    }

    @Test
    void classPathWithADirectory() throws Exception {
        runs(List.of("-cp", path(pieces.appClasses(), pieces.core(), pieces.lib()), MAIN));
    }

    @Test
    void wildcardClassPath() throws Exception {
        Path lib = Files.createDirectories(work.resolve("wildcard/lib"));
        for (Path jar : List.of(pieces.app(), pieces.core(), pieces.lib())) {
            Files.copy(jar, lib.resolve(jar.getFileName()));
        }
        runs(List.of("-cp", lib + File.separator + "*", MAIN)); // the launcher expands it, not a shell
    }

    @Test
    void executableJarWithAClassPathManifest() throws Exception {
        Path dir = Files.createDirectories(work.resolve("manifest/lib"));
        Files.copy(pieces.core(), dir.resolve("multiprocessing4j.jar"));
        Files.copy(pieces.lib(), dir.resolve("shapes-lib.jar"));
        Manifest manifest = manifest(MAIN);
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/multiprocessing4j.jar lib/shapes-lib.jar");
        Path app = jar(work.resolve("manifest/app.jar"), manifest, pieces.appClasses());
        runs(List.of("-jar", app.toString()));
    }

    @Test
    void shadedJar() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Path jar : List.of(pieces.core(), pieces.lib(), pieces.app())) {
            entries.putAll(contents(jar, name -> !name.startsWith("META-INF/")));
        }
        Path shaded = work.resolve("shaded/app.jar");
        write(shaded, manifest(MAIN), entries, false);
        runs(List.of("-jar", shaded.toString()));
    }

    @Test
    void modulePath() throws Exception {
        // the library is an automatic module here, as most libraries on Maven Central are
        runs(List.of("--module-path", path(pieces.core(), pieces.lib(), pieces.appModule()), "-m", "shapes.app/" + MAIN));
    }

    @Test
    void springBootExecutableJar() throws Exception {
        Path loader = jarOf(Class.forName("org.springframework.boot.loader.launch.JarLauncher"));
        Map<String, byte[]> entries = new LinkedHashMap<>(contents(loader, name -> !name.startsWith("META-INF/")));
        for (String dir : List.of("BOOT-INF/", "BOOT-INF/classes/", "BOOT-INF/lib/")) {
            entries.put(dir, new byte[0]); // Boot's launcher finds the application's classes by this directory's entry
        }
        contents(pieces.app(), name -> !name.startsWith("META-INF/"))
                .forEach((name, bytes) -> entries.put("BOOT-INF/classes/" + name, bytes));
        entries.put("BOOT-INF/lib/multiprocessing4j.jar", Files.readAllBytes(pieces.core()));
        entries.put("BOOT-INF/lib/shapes-lib.jar", Files.readAllBytes(pieces.lib()));
        entries.put("BOOT-INF/classpath.idx",
                "- \"BOOT-INF/lib/multiprocessing4j.jar\"\n- \"BOOT-INF/lib/shapes-lib.jar\"\n".getBytes(StandardCharsets.UTF_8));
        Manifest manifest = manifest("org.springframework.boot.loader.launch.JarLauncher");
        Attributes main = manifest.getMainAttributes();
        main.putValue("Start-Class", MAIN);
        main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        main.putValue("Spring-Boot-Classpath-Index", "BOOT-INF/classpath.idx");
        Path boot = work.resolve("boot/app.jar");
        write(boot, manifest, entries, true); // Boot reads nested jars only if they are stored, not deflated
        runs(List.of("-jar", boot.toString()));
    }

    @Test
    void jlinkImage() throws Exception {
        ToolProvider jlink = ToolProvider.findFirst("jlink").orElseThrow();
        Path image = work.resolve("image");
        List<String> modulePath = new ArrayList<>(List.of(pieces.core().toString(), pieces.libModule().toString(),
                pieces.appModule().toString()));
        Path jmods = Path.of(System.getProperty("java.home"), "jmods");
        if (Files.isDirectory(jmods)) {
            modulePath.add(jmods.toString()); // JDK 17; a JDK 24+ image may link from itself instead
        }
        tool(jlink, "--module-path", String.join(File.pathSeparator, modulePath), "--add-modules", "shapes.app",
                "--output", image.toString());
        runs(image.resolve("bin/java"), List.of("-m", "shapes.app/" + MAIN));
    }

    // --- running ---

    private void runs(List<String> args) throws Exception {
        runs(Path.of(System.getProperty("java.home"), "bin", "java"), args);
    }

    /** Runs the application with this java and these arguments, and checks that its children did their work. */
    private void runs(Path java, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Dmultiprocessing4j.cacheDir=" + work.resolve("cache")); // a newcomer's: empty
        command.addAll(args);
        ExampleRun run;
        try {
            run = jvms.run(command, String.join(" ", command), TIMEOUT);
        } finally {
            endTrainings();
        }
        String what = String.join(" ", command) + "\n" + run.output();
        assertThat(run.exitCode()).as(what).isZero();
        assertThat(run.lines()).as(what).contains("process exit 0", "pool [A!, B!, C!]");
        assertThat(run.stderr()).as("nothing on stderr: %s", what).isEmpty();
    }

    /**
     * Ends the AOT cache trainings (JDK 25) the application left running in the background, as they are
     * meant to: they write into this test's cache, which is removed when it ends, and would take the CPU
     * from the next shape.
     */
    private static void endTrainings() throws Exception {
        String cache = work.resolve("cache").toString();
        List<ProcessHandle> trainings = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(cache)).orElse(false))
                .toList();
        for (ProcessHandle p : trainings) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : trainings) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    // --- building ---

    /** The core jar as the build made it; from its classes (a build that stopped at {@code test}), a jar of them. */
    private static Path coreJar() throws IOException {
        Path location = jarOf(Process.class);
        return Files.isDirectory(location) ? jar(work.resolve("jars/multiprocessing4j.jar"), null, location) : location;
    }

    private static Path jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path javac(String name, List<Path> sourceRoots, List<String> options) throws IOException {
        Path out = work.resolve("classes/" + name);
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("-d", out.toString(), "--release", "17", "-nowarn"));
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
            }
        }
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int status = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, messages, messages, args.toArray(String[]::new));
        assertThat(status).as("javac %s: %s", args, messages.toString(StandardCharsets.UTF_8)).isZero();
        return out;
    }

    private static void tool(ToolProvider tool, String... args) {
        StringWriter out = new StringWriter();
        int status = tool.run(new PrintWriter(out), new PrintWriter(out), args);
        assertThat(status).as("%s %s: %s", tool.name(), List.of(args), out).isZero();
    }

    private static Manifest manifest(String mainClass) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (mainClass != null) {
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        }
        return m;
    }

    /** A jar of a directory's files. */
    private static Path jar(Path out, Manifest manifest, Path classes) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                entries.put(classes.relativize(f).toString().replace(File.separatorChar, '/'), Files.readAllBytes(f));
            }
        }
        write(out, manifest == null ? manifest(null) : manifest, entries, false);
        return out;
    }

    private static Map<String, byte[]> contents(Path jar, java.util.function.Predicate<String> keep) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
                if (!e.isDirectory() && keep.test(e.getName())) {
                    try (InputStream in = file.getInputStream(e)) {
                        entries.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
        return entries;
    }

    /** Writes a jar; {@code storeJars}: nested jars stored uncompressed, as Spring Boot requires. */
    private static void write(Path out, Manifest manifest, Map<String, byte[]> entries, boolean storeJars) throws IOException {
        Files.createDirectories(out.getParent());
        try (OutputStream file = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (storeJars && e.getKey().endsWith(".jar")) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                jar.putNextEntry(entry);
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
    }

    private static String path(Path... entries) {
        return String.join(File.pathSeparator, Stream.of(entries).map(Path::toString).toList());
    }
}
