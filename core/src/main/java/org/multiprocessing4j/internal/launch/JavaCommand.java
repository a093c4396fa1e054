package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The command line of a child JVM: the parent's own {@code java}, the parent's class path and module
 * path, lean flags that cost long jobs nothing, the user's options, and a marker that shows in
 * {@code ps} which JVMs are ours. Nothing secret goes here: the authkey travels on stdin.
 *
 * <p>Where the parent runs from decides how the child's main class is named: from a class path,
 * {@link ChildMain} itself; from a module path or a jlink image, this module's {@code ChildMain}, with the
 * application's modules added; from a Spring Boot executable jar, Boot's {@code PropertiesLauncher}
 * with {@code -Dloader.main} naming {@code ChildMain} (see {@link #springBootLauncher}).
 *
 * <p>The child inherits the parent's {@code stdout.encoding} and {@code stderr.encoding} (and JDK 17's
 * {@code sun.stdout.encoding}), since it writes to the same streams.
 *
 * <p>System properties read once, when the first child starts, and passed on to every child (so to its
 * children too):
 * <ul>
 *   <li>{@code multiprocessing4j.jvmOptions}: extra options for every child, separated by spaces
 *       (e.g. {@code -Xmx2g -ea}).</li>
 *   <li>{@code multiprocessing4j.java}: the {@code java} executable to use instead of the parent's.</li>
 * </ul>
 */
record JavaCommand(List<String> command) {

    /** The system property every child carries, with its parent's pid as value. */
    public static final String PARENT_MARKER = "multiprocessing4j.parent";
    static final String MAIN_CLASS = "org.multiprocessing4j.internal.launch.ChildMain";
    static final String MODULE = "org.multiprocessing4j";

    /**
     * Flags that shorten JVM start and cost a long-running child nothing:
     * <ul>
     *   <li>no perf-data file mapped in /tmp for every child;</li>
     *   <li>the class-data-sharing archive mapped where it was dumped ({@code ArchiveRelocationMode=0},
     *       the JDK's default before JDK 20; JDK 20, and the JDK 17 and 25 builds this library is tested
     *       on, default to 1): a relocated archive has every pointer in it rewritten, some 1,800 pages
     *       touched and 20-35 ms of a JDK 17 child's start on the machine the library is measured on.
     *       The cost is the archive's address-space randomization, which the parent keeps; a user who
     *       wants it in children too passes {@code -XX:ArchiveRelocationMode=1} in
     *       {@code multiprocessing4j.jvmOptions}, which come later on the command line and win.</li>
     * </ul>
     * The JIT stays the JVM's default, because children may run long CPU-bound work (C1 alone would
     * start faster and run slower). The collector and the heap: see {@link #HEAP_FLAGS}.
     */
    static final List<String> LEAN_FLAGS = List.of("-XX:-UsePerfData",
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

    /**
     * A child's collector and young generation, unless the user chose either (see {@link #heapFlags}):
     * the serial collector, with a young generation of 16 MiB; the heap's maximum stays the JVM's
     * default, and it grows as the child's live data does.
     *
     * <p>Why: the JVM sizes every child as if it had the machine to itself, a G1 heap of 1/64 of the
     * memory to start with and a young generation that grows to hundreds of MiB, so a child that
     * streams items touches that much fresh memory before its first collection, and keeps it: a tree of
     * four JVMs took 640 MiB where CPython's took 72 (JDK 25), and every fresh page is a page fault first
     * (some 9 us each on the machine the library is measured on). A young generation of 16 MiB is
     * touched once and reused. Serial rather than G1: with a fixed young generation G1 ran the word-count
     * program 30 % slower, and a parallel collector's threads in every child share the same cores.
     */
    static final List<String> HEAP_FLAGS = List.of("-XX:+UseSerialGC", "-Xmn16m");

    /** The environment variables whose JVM options a child inherits, as its parent's {@code java} did. */
    static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    /** Options that choose a collector or size the heap: the user's choice, which {@link #HEAP_FLAGS} leave alone. */
    private static final java.util.regex.Pattern USER_HEAP_CHOICE = java.util.regex.Pattern.compile(
            "-XX:[+-]Use\\w*GC|-Xm[nsx].*|-XX:(Max|Min|Initial)?(RAMPercentage|RAMFraction|RAM|HeapSize|NewSize)=.*"
                    + "|-XX:NewRatio=.*");

    /**
     * Properties a child takes from its parent: so that both print the same way to the stdout and stderr
     * they share (the JDK derives them from the locale, unless the user set them), read objects through
     * the same filter and message limit, and start their own children as the parent starts its own (the
     * options, the {@code java}, the archive), so that a setting for "every child" holds for grandchildren.
     */
    static final List<String> INHERITED_PROPERTIES = List.of("stdout.encoding", "stderr.encoding",
            "sun.stdout.encoding", "sun.stderr.encoding",
            "multiprocessing4j.serialFilter", "multiprocessing4j.maxMessageBytes", "jdk.serialFilter",
            "multiprocessing4j.jvmOptions", "multiprocessing4j.java", "multiprocessing4j.cds",
            "multiprocessing4j.cacheDir");

    private static volatile List<String> launcher; // java and its lean flags
    private static volatile List<String> rest;     // the user's options, the marker, the paths, the main class

    /** The argument of {@link ChildMain} that makes a spare: warm up, then wait for a task. */
    static final String SPARE_ARG = "--spare";
    /** The argument of {@link ChildMain} that makes a training run for the AOT cache (see {@link AotTraining}). */
    static final String TRAIN_ARG = "--train";

    /** The command for a child, with the given class-data-sharing flags; a spare warms up first. */
    static JavaCommand forChild(List<String> archiveFlags, boolean spare) {
        built();
        List<String> cmd = new ArrayList<>(launcher.size() + archiveFlags.size() + rest.size());
        cmd.addAll(launcher);
        cmd.addAll(archiveFlags);
        cmd.addAll(rest);
        if (spare) {
            cmd.add(SPARE_ARG);
        }
        return new JavaCommand(List.copyOf(cmd));
    }

    /** The command of a child that trains the AOT cache: a child's, with no cache flags, that runs the training. */
    static JavaCommand forTraining() {
        built();
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(rest);
        cmd.add(TRAIN_ARG);
        return new JavaCommand(List.copyOf(cmd));
    }

    /**
     * Whether children run this JVM's own {@code java} (the default), so that they are the JVM this one
     * is, of the same version. False when {@code multiprocessing4j.java} names another executable: it
     * may be another JDK, which would not start with an archive flag it does not know.
     */
    static boolean runsOwnJava() {
        String java = System.getProperty("multiprocessing4j.java");
        if (java == null) {
            return true;
        }
        try {
            return Files.isSameFile(Path.of(java), ownJava());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path ownJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * The {@code PropertiesLauncher} of the Spring Boot loader that loaded this library, or null when it
     * was not loaded by one. Boot's executable jar nests the application's jars in {@code BOOT-INF/lib/},
     * where only Boot's class loader finds them; a child started as {@code java -cp app.jar ChildMain}
     * could not load this class. Its {@code PropertiesLauncher}, which every such jar carries beside the
     * launcher that started it, starts {@code -Dloader.main} with that class loader instead.
     */
    private static String springBootLauncher(ClassLoader loader) {
        if (loader == null || !loader.getClass().getName().startsWith("org.springframework.boot.loader.")) {
            return null;
        }
        String launcher = loader.getClass().getPackageName() + ".PropertiesLauncher";
        try {
            Class.forName(launcher, false, ClassLoader.getSystemClassLoader());
            return launcher;
        } catch (ClassNotFoundException | LinkageError notThere) {
            return null; // a loader of another shape: the child fails to start, and says why
        }
    }

    /**
     * The modules of the boot layer but the JDK's own, comma-separated, after {@code ALL-MODULE-PATH} if
     * asked for: the application's modules are roots in the parent (its {@code -m}, its
     * {@code --add-modules}), and must be in the child too, where this library's module is the root. The
     * JDK's modules come in through their {@code requires}; naming them all would cost a child some 15 ms
     * of resolving.
     */
    private static String bootModules(boolean allModulePath) {
        TreeSet<String> names = new TreeSet<>();
        for (Module m : ModuleLayer.boot().modules()) {
            String name = m.getName();
            if (!name.startsWith("java.") && !name.startsWith("jdk.")) {
                names.add(name);
            }
        }
        return (allModulePath ? "ALL-MODULE-PATH," : "") + String.join(",", names);
    }

    /** Builds, once, what every child's command shares (see {@link LaunchAhead}). */
    static void prepare() {
        built();
    }

    private static void built() {
        if (rest == null) {
            synchronized (JavaCommand.class) {
                if (rest == null) {
                    build();
                }
            }
        }
    }

    /**
     * {@link #HEAP_FLAGS}, or none when the user's options for children ({@code multiprocessing4j.jvmOptions})
     * or the JVM's option variables a child inherits ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS},
     * {@code _JAVA_OPTIONS}) name a collector or a heap size: two collectors would not start, and a
     * user who sized the heap meant that size.
     */
    static List<String> heapFlags(String jvmOptions, java.util.Map<String, String> env) {
        List<String> options = new ArrayList<>();
        options.add(jvmOptions == null ? "" : jvmOptions);
        for (String variable : OPTION_VARIABLES) {
            options.add(env.getOrDefault(variable, ""));
        }
        for (String o : options) {
            for (String token : o.trim().split("\\s+")) {
                if (USER_HEAP_CHOICE.matcher(token).matches()) {
                    return List.of();
                }
            }
        }
        return HEAP_FLAGS;
    }

    private static void build() {
        List<String> head = new ArrayList<>();
        String java = System.getProperty("multiprocessing4j.java");
        head.add(java != null ? java : ownJava().toString());
        head.addAll(LEAN_FLAGS);
        List<String> cmd = new ArrayList<>();
        String extra = System.getProperty("multiprocessing4j.jvmOptions", "").trim();
        cmd.addAll(heapFlags(extra, System.getenv()));
        if (!extra.isEmpty()) {
            cmd.addAll(Arrays.asList(extra.split("\\s+")));
        }
        cmd.add("-D" + PARENT_MARKER + "=" + ProcessHandle.current().pid());
        for (String property : INHERITED_PROPERTIES) {
            String value = System.getProperty(property);
            if (value != null) {
                cmd.add("-D" + property + "=" + value);
            }
        }

        String classPath = System.getProperty("java.class.path", "");
        String modulePath = System.getProperty("jdk.module.path");
        boolean named = JavaCommand.class.getModule().isNamed();
        String bootLauncher = named ? null : springBootLauncher(JavaCommand.class.getClassLoader());
        if (!classPath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(classPath);
        }
        if (named) {
            // on the module path, or linked into a jlink image (whose modules are the JDK's own)
            if (modulePath != null) {
                cmd.add("--module-path");
                cmd.add(modulePath);
            }
            // resolve the application's modules (and, from a module path, all of it), so that the task's
            // classes deserialize
            cmd.add("--add-modules");
            cmd.add(bootModules(modulePath != null));
            cmd.add("-m");
            cmd.add(MODULE + "/" + MAIN_CLASS);
        } else if (bootLauncher != null) {
            // Spring Boot's executable jar: only its class loader reads the jars nested in it
            String loaderPath = System.getProperty("loader.path");
            if (loaderPath != null) {
                cmd.add("-Dloader.path=" + loaderPath);
            }
            cmd.add("-Dloader.main=" + MAIN_CLASS);
            cmd.add(bootLauncher);
        } else {
            cmd.add(MAIN_CLASS);
        }
        launcher = List.copyOf(head);
        rest = List.copyOf(cmd);
    }
}
