package org.multiprocessing4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.multiprocessing4j.Process;
import org.multiprocessing4j.Queue;

/**
 * Seed 000 ({@code 000_16b221fee1a698a8.txt}), {@code square_numbers}: three processes square the same
 * list, each puts its result into one queue, and the main program collects them. As in the Python
 * program the main program joins the children before it reads the queue; with this library that can
 * never deadlock: a child writes what it put before it exits, whoever reads the queue.
 */
public final class SquareNumbers {
    private SquareNumbers() {
    }

    static void squareNumbers(List<Integer> numbers, Queue<List<Integer>> resultQueue) {
        List<Integer> squaredNumbers = numbers.stream().map(x -> x * x).collect(Collectors.toList());
        resultQueue.put(squaredNumbers);
    }

    public static void main(String[] args) {
        List<Integer> data = List.of(1, 2, 3, 4, 5);
        Queue<List<Integer>> resultQueue = new Queue<>();

        // each process runs on its own and does a different piece of work
        int numOfProcesses = 3;
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < numOfProcesses; i++) {
            processes.add(new Process(() -> squareNumbers(data, resultQueue)));
        }

        for (Process process : processes) {
            process.start();
        }

        for (Process process : processes) {
            process.join();
        }

        // collect the results from the queue
        List<List<Integer>> results = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            results.add(resultQueue.get());
        }

        System.out.println("Results: " + results);
    }
}
