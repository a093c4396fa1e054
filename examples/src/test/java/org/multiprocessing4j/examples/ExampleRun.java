package org.multiprocessing4j.examples;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How one example JVM ended: its pid, exit status, the lines it (and its children) printed on stdout,
 * and its stderr.
 */
record ExampleRun(long pid, int exitCode, List<String> lines, String stderr) {

    /** How many lines are exactly {@code line}. */
    long count(String line) {
        return lines.stream().filter(line::equals).count();
    }

    /** The lines that match {@code regex} in full, as matchers positioned on the match. */
    List<Matcher> matching(String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().map(p::matcher).filter(Matcher::matches).collect(Collectors.toList());
    }

    /** Everything it printed, for failure messages. */
    String output() {
        return "exit " + exitCode + ", stdout:\n" + String.join("\n", lines) + "\nstderr:\n" + stderr;
    }
}
