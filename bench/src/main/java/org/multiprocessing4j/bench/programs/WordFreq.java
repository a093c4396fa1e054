package org.multiprocessing4j.bench.programs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.multiprocessing4j.Pool;

/**
 * Word frequencies over a corpus, ported line by line from {@code bench/python/programs/word_freq.py}:
 * two workers count the words of each file ({@code imapUnordered}, 16 files per chunk), the parent merges
 * the counts and prints the most frequent ones.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.programs.WordFreq FILE_LIST
 * </pre>
 *
 * {@code FILE_LIST}: one path per line.
 */
public final class WordFreq {
    private static final Pattern WORD = Pattern.compile("[A-Za-z_]+");

    private WordFreq() {
    }

    /** The words of one file and how often each occurs. */
    static Map<String, Integer> countFile(String path) throws IOException {
        String text = new String(Files.readAllBytes(Path.of(path)), StandardCharsets.UTF_8);
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            counts.merge(m.group(), 1, Integer::sum);
        }
        return counts;
    }

    public static void main(String[] args) throws IOException {
        List<String> paths = Files.readAllLines(Path.of(args[0]));
        Map<String, Long> total = new HashMap<>();
        try (Pool pool = new Pool(2)) {
            for (Map<String, Integer> counts : pool.imapUnordered(WordFreq::countFile, paths, 16)) {
                counts.forEach((word, n) -> total.merge(word, (long) n, Long::sum));
            }
        }
        System.out.println(paths.size() + " files, " + total.size() + " distinct words, "
                + total.values().stream().mapToLong(Long::longValue).sum() + " words");
        total.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .forEach(e -> System.out.println(e.getValue() + " " + e.getKey()));
    }
}
