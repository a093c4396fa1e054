package org.multiprocessing4j.bench.programs;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.multiprocessing4j.JoinableQueue;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * A producer and two workers, ported line by line from {@code bench/python/programs/pipeline.py}: the
 * producer reads each file and puts {@code (path, text)} into a {@code JoinableQueue(64)}; each worker
 * hashes the text (SHA-256) and counts its lines, and puts the result into a {@code Queue}; a poison pill
 * per worker ends them. The parent collects one result per file, joins the queue and the processes, and
 * prints a summary.
 *
 * <pre>
 *   java -cp multiprocessing4j-bench.jar org.multiprocessing4j.bench.programs.Pipeline FILE_LIST
 * </pre>
 */
public final class Pipeline {
    private static final int WORKERS = 2;

    private Pipeline() {
    }

    /** A file to work on: Python's {@code (path, text)}. */
    record Doc(String path, String text) implements Serializable {
    }

    /** What a worker found: Python's {@code (path, digest, lines)}. */
    record Result(String path, String digest, int lines) implements Serializable {
    }

    /** The poison pill: items arrive as copies, so it is recognised with {@code equals}, not {@code ==}. */
    static final Doc STOP = new Doc("", "");

    static void producer(List<String> paths, JoinableQueue<Doc> tasks) {
        for (String p : paths) {
            try {
                tasks.put(new Doc(p, new String(Files.readAllBytes(Path.of(p)), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a Process target is a Runnable
            }
        }
        for (int i = 0; i < WORKERS; i++) {
            tasks.put(STOP);
        }
    }

    static void worker(JoinableQueue<Doc> tasks, Queue<Result> results) {
        while (true) {
            Doc item = tasks.get();
            if (item.equals(STOP)) {
                tasks.taskDone();
                break;
            }
            byte[] digest = sha256().digest(item.text().getBytes(StandardCharsets.UTF_8));
            int lines = (int) item.text().chars().filter(c -> c == '\n').count();
            results.put(new Result(item.path(), HexFormat.of().formatHex(digest), lines));
            tasks.taskDone();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has it
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> paths = new ArrayList<>(Files.readAllLines(Path.of(args[0])));
        JoinableQueue<Doc> tasks = new JoinableQueue<>(64);
        Queue<Result> results = new Queue<>();
        Process producer = new Process(() -> producer(paths, tasks));
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++) {
            workers.add(new Process(() -> worker(tasks, results)));
        }
        producer.start();
        workers.forEach(Process::start);
        TreeMap<String, Result> byPath = new TreeMap<>();
        for (int i = 0; i < paths.size(); i++) {
            Result r = results.get();
            byPath.put(r.path(), r);
        }
        tasks.join();
        producer.join();
        workers.forEach(Process::join);

        MessageDigest all = sha256();
        long lines = 0;
        for (Result r : byPath.values()) {
            all.update(r.digest().getBytes(StandardCharsets.US_ASCII));
            lines += r.lines();
        }
        System.out.println(byPath.size() + " files, " + lines + " lines, digest of digests "
                + HexFormat.of().formatHex(all.digest()));
    }
}
