package org.multiprocessing4j.cluster.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What code a JVM runs: each entry of its class path by name (a jar's file name; a directory's last two
 * path elements), with the SHA-256 of its content, so that machines that keep the same jars in different
 * places agree. The class path of a jar's manifest counts as if it were given; a jar that holds nothing but
 * a manifest (a launcher's class-path jar) counts only for what it names.
 */
public final class ClassPathDigest {
    /** One entry of a class path. */
    public record Entry(String name, byte[] sha256) {
    }

    private static volatile List<Entry> own;

    private ClassPathDigest() {
    }

    /** This JVM's class path, computed once. */
    public static List<Entry> own() {
        List<Entry> e = own;
        if (e == null) {
            e = of(System.getProperty("java.class.path", ""));
            own = e;
        }
        return e;
    }

    /** The entries of {@code classPath} (separated as the platform separates them), in order. */
    public static List<Entry> of(String classPath) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Set<Path> seen = new HashSet<>();
        for (String s : classPath.split(java.io.File.pathSeparator)) {
            if (!s.isEmpty()) {
                add(Path.of(s).toAbsolutePath().normalize(), entries, seen);
            }
        }
        return List.copyOf(entries.values());
    }

    private static void add(Path p, Map<String, Entry> entries, Set<Path> seen) {
        if (!seen.add(p) || !Files.exists(p)) {
            return;
        }
        try {
            if (Files.isDirectory(p)) {
                String name = (p.getParent() != null && p.getParent().getFileName() != null
                        ? p.getParent().getFileName() + "/" : "") + p.getFileName() + "/";
                entries.putIfAbsent(name, new Entry(name, directoryDigest(p)));
                return;
            }
            boolean onlyManifest;
            List<Path> named = new ArrayList<>();
            try (JarFile jar = new JarFile(p.toFile())) {
                onlyManifest = jar.stream().allMatch(e -> e.isDirectory() || e.getName().equals("META-INF/")
                        || e.getName().equals(JarFile.MANIFEST_NAME));
                var manifest = jar.getManifest();
                String cp = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
                if (cp != null) {
                    for (String ref : cp.trim().split("\\s+")) {
                        if (!ref.isEmpty()) {
                            named.add(ref.startsWith("file:") ? Path.of(java.net.URI.create(ref))
                                    : p.resolveSibling(ref).normalize());
                        }
                    }
                }
            }
            if (!onlyManifest) {
                String name = p.getFileName().toString();
                entries.putIfAbsent(name, new Entry(name, fileDigest(p)));
            }
            for (Path n : named) {
                add(n.toAbsolutePath().normalize(), entries, seen);
            }
        } catch (IOException | RuntimeException notAJar) {
            String name = String.valueOf(p.getFileName());
            try {
                entries.putIfAbsent(name, new Entry(name, fileDigest(p)));
            } catch (IOException unreadable) {
                throw new UncheckedIOException("cannot read " + p + " of the class path", unreadable);
            }
        }
    }

    /**
     * The entries that differ between {@code ours} and {@code theirs}: those in one alone, and those of
     * the same name with other content. Empty if the two run the same code.
     */
    public static List<String> differences(List<Entry> ours, List<Entry> theirs) {
        Map<String, byte[]> a = new LinkedHashMap<>();
        ours.forEach(e -> a.put(e.name(), e.sha256()));
        Map<String, byte[]> b = new LinkedHashMap<>();
        theirs.forEach(e -> b.put(e.name(), e.sha256()));
        Set<String> differ = new TreeSet<>();
        for (var e : a.entrySet()) {
            byte[] other = b.get(e.getKey());
            if (other == null) {
                differ.add(e.getKey() + " (only the driver's)");
            } else if (!Arrays.equals(other, e.getValue())) {
                differ.add(e.getKey() + " (other content)");
            }
        }
        for (String name : b.keySet()) {
            if (!a.containsKey(name)) {
                differ.add(name + " (only the member's)");
            }
        }
        return List.copyOf(differ);
    }

    private static byte[] fileDigest(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    /** SHA-256 over each file's path (relative, '/'-separated) and content, in sorted order. */
    private static byte[] directoryDigest(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).toList());
        }
        Collections.sort(files);
        MessageDigest md = sha256();
        for (Path f : files) {
            md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(fileDigest(f));
        }
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
