package org.multiprocessing4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a release needs, read from the build as it is: the POMs of the published artifacts (the parent,
 * core, cluster) carry what Maven Central requires of each (their own or inherited from the parent), and
 * each published jar has its sources jar and its Javadoc jar beside it, made by the normal build. This
 * module is built after core and cluster, so their jars are there when this runs in {@code ./mvnw verify}.
 */
class ReleaseArtifactsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A POM and its parent's, as Maven inherits the elements read here. */
    private record Pom(Element project, Pom parent) {
        static Pom read(Path dir, Pom parent) throws Exception {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(dir.resolve("pom.xml").toFile()).getDocumentElement();
            return new Pom(project, parent);
        }

        /** The text at a path of child elements ({@code "scm/url"}), this POM's or else inherited; "" if none. */
        String get(String path) {
            Element e = project;
            for (String name : path.split("/")) {
                e = child(e, name);
                if (e == null) {
                    return parent == null || path.equals("artifactId") ? "" : parent.get(path);
                }
            }
            return e.getTextContent().strip();
        }

        String version() {
            return get("version"); // a module's is its parent's
        }

        private static Element child(Element e, String name) {
            for (Node n = e == null ? null : e.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element c && c.getTagName().equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    private static Pom parent() throws Exception {
        return Pom.read(ROOT, null);
    }

    @Test
    void everyPublishedPomHasWhatMavenCentralRequires() throws Exception {
        Pom parent = parent();
        List<Pom> published = List.of(parent, Pom.read(ROOT.resolve("core"), parent), Pom.read(ROOT.resolve("cluster"), parent));
        for (Pom pom : published) {
            String what = pom.get("artifactId");
            assertThat(pom.get("groupId")).as(what + " groupId").isEqualTo("org.multiprocessing4j");
            assertThat(pom.version()).as(what + " version").matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
            for (String required : List.of("name", "description", "url", "licenses/license/name", "licenses/license/url",
                    "developers/developer/name", "scm/url", "scm/connection", "scm/developerConnection")) {
                assertThat(pom.get(required)).as(what + " " + required).isNotBlank().doesNotContain("${");
            }
            assertThat(pom.get("licenses/license/name")).as(what + " license").isEqualTo("Apache-2.0");
        }
        // a module's url and scm are the project's, not the parent's with the module's name appended
        assertThat(parent.project().getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
        Element scm = (Element) parent.project().getElementsByTagName("scm").item(0);
        for (String a : List.of("connection", "developerConnection", "url")) {
            assertThat(scm.getAttribute("child.scm." + a + ".inherit.append.path")).as("scm " + a).isEqualTo("false");
        }
        assertThat(ROOT.resolve("LICENSE")).content().contains("Apache License", "Version 2.0, January 2004");
    }

    @Test
    void eachPublishedJarHasItsSourcesAndItsJavadocBeside() throws Exception {
        String version = parent().version();
        checkJars("core", "multiprocessing4j", version, "org/multiprocessing4j/Pool");
        checkJars("cluster", "multiprocessing4j-cluster", version, "org/multiprocessing4j/cluster/Cluster");
    }

    /** The module's jar, its sources (with module-info) and its Javadoc: the API's pages, none of the internal packages. */
    private static void checkJars(String module, String artifact, String version, String apiClass) throws IOException {
        Path target = ROOT.resolve(module).resolve("target");
        String base = artifact + "-" + version;
        assertThat(target.resolve(base + ".jar")).as("the jar of " + module + " (built before this module)").isRegularFile();
        assertThat(entries(target.resolve(base + "-sources.jar")))
                .contains("module-info.java", apiClass + ".java")
                .noneMatch(e -> e.endsWith(".class"));
        List<String> javadoc = entries(target.resolve(base + "-javadoc.jar"));
        assertThat(javadoc).anyMatch(e -> e.endsWith(apiClass + ".html"));
        assertThat(javadoc).as("internal packages in the Javadoc").noneMatch(e -> e.contains("/internal/") && e.endsWith(".html"));
    }

    private static List<String> entries(Path jar) throws IOException {
        assertThat(jar).isRegularFile();
        List<String> names = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().map(ZipEntry::getName).forEach(names::add);
        }
        return names;
    }

    @Test
    void theChangelogNamesThisVersion() throws Exception {
        String version = parent().version();
        String changelog = Files.readString(ROOT.resolve("CHANGELOG.md"));
        // a release has its section; a snapshot, the Unreleased section naming the version to come
        assertThat(changelog).contains(version.endsWith("-SNAPSHOT")
                ? "## [Unreleased] (" + version.replace("-SNAPSHOT", "") + ")" : "## [" + version + "] (");
        assertThat(changelog).contains("## [0.1.0] (");
    }
}
