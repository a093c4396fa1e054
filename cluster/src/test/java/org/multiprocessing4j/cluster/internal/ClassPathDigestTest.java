package org.multiprocessing4j.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multiprocessing4j.testing.Jars;

class ClassPathDigestTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreNamedAndComparedByContentWhereverTheyLie() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("a/target/classes"));
        Files.writeString(classes.resolve("A.class"), "a");
        Path elsewhere = Files.createDirectories(dir.resolve("b/target/classes"));
        Files.writeString(elsewhere.resolve("A.class"), "a");
        Path jar = Jars.create(dir.resolve("lib.jar"), null, null, classes);
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(jar, copy.resolve("lib.jar"));

        List<ClassPathDigest.Entry> ours = ClassPathDigest.of(classes + File.pathSeparator + jar);
        List<ClassPathDigest.Entry> theirs = ClassPathDigest.of(elsewhere + File.pathSeparator + copy.resolve("lib.jar"));
        assertThat(ours).extracting(ClassPathDigest.Entry::name).containsExactly("target/classes/", "lib.jar");
        assertThat(ClassPathDigest.differences(ours, theirs)).isEmpty();

        Files.writeString(elsewhere.resolve("A.class"), "changed");
        Files.writeString(elsewhere.resolve("B.class"), "b");
        List<ClassPathDigest.Entry> changed = ClassPathDigest.of(elsewhere.toString());
        assertThat(ClassPathDigest.differences(ours, changed))
                .containsExactly("lib.jar (only the driver's)", "target/classes/ (other content)");
    }

    @Test
    void aManifestOnlyJarCountsForWhatItNames() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("x/classes"));
        Files.writeString(classes.resolve("X.class"), "x");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path pointer = Jars.create(dir.resolve("pointer.jar"), null, "x/classes/", empty);
        assertThat(ClassPathDigest.differences(ClassPathDigest.of(pointer.toString()),
                ClassPathDigest.of(classes.toString()))).isEmpty();
    }
}
