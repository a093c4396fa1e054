/**
 * Python's {@code multiprocessing} for Java, every child a JVM of its own: {@link org.multiprocessing4j.Process},
 * {@link org.multiprocessing4j.Pool} (and {@link org.multiprocessing4j.ThreadPool}), the
 * {@link org.multiprocessing4j.Queue} family, {@link org.multiprocessing4j.Pipe} and
 * {@link org.multiprocessing4j.Connection} ({@link org.multiprocessing4j.Listener},
 * {@link org.multiprocessing4j.Client}), the locks and events of CPython's {@code synchronize}, shared
 * {@link org.multiprocessing4j.Value}s and {@link org.multiprocessing4j.Array}s,
 * {@link org.multiprocessing4j.SharedMemory}, and {@link org.multiprocessing4j.Manager}s.
 *
 * <p>Names follow CPython so that Python code ports line by line; {@code Process} shadows
 * {@link java.lang.Process} once imported. Everything that holds an OS resource is
 * {@link java.lang.AutoCloseable}. Exceptions are unchecked ({@link org.multiprocessing4j.ProcessError}
 * and its subclasses) except where a JDK interface declares a checked one, and where a method mirrors
 * such an interface: {@link org.multiprocessing4j.AsyncResult#get(java.time.Duration)} (as
 * {@code Future.get}), {@link org.multiprocessing4j.Barrier#await()} (as {@code CyclicBarrier.await}), and
 * {@link org.multiprocessing4j.ResultIterator#next(java.time.Duration)}, which throws
 * {@link java.util.concurrent.TimeoutException}.
 *
 * <table class="striped">
 * <caption>Python's names, and this package's</caption>
 * <thead><tr><th scope="col">Python</th><th scope="col">Java</th></tr></thead>
 * <tbody>
 * <tr><th scope="row">{@code Process(target=f, args=(a,))}</th>
 *     <td>{@code new Process(() -> f(a))}: what the lambda captures must be serializable</td></tr>
 * <tr><th scope="row">{@code current_process()}, {@code parent_process()}, {@code active_children()},
 *     {@code cpu_count()}, {@code set_start_method(m)}, {@code get_context(m)}</th>
 *     <td>{@link org.multiprocessing4j.Multiprocessing#currentProcess()}, {@code parentProcess()},
 *     {@code activeChildren()}, {@code cpuCount()}, {@code setStartMethod(m)}, {@code getContext(m)}</td></tr>
 * <tr><th scope="row">{@code with Pool(4) as pool:}</th>
 *     <td><code>try (Pool pool = new Pool(4)) &#123;</code>: the end of the block waits for the work</td></tr>
 * <tr><th scope="row">{@code pool.map(f, items)}, {@code imap_unordered}, {@code starmap}, {@code apply_async}</th>
 *     <td>{@link org.multiprocessing4j.Pool#map}, {@code imapUnordered}, {@code starmap}, {@code applyAsync};
 *     a task may throw checked exceptions ({@link org.multiprocessing4j.TaskFunction})</td></tr>
 * <tr><th scope="row">{@code pool.close(); pool.join()}</th>
 *     <td>{@code pool.shutdown(); pool.join()}, or {@code pool.close()} for both</td></tr>
 * <tr><th scope="row">{@code Queue}, {@code SimpleQueue}, {@code JoinableQueue}</th>
 *     <td>{@link org.multiprocessing4j.Queue} (a {@link java.util.concurrent.BlockingQueue}),
 *     {@link org.multiprocessing4j.SimpleQueue}, {@link org.multiprocessing4j.JoinableQueue}</td></tr>
 * <tr><th scope="row">{@code q.put(None)} as a poison pill</th>
 *     <td>an {@code enum} constant: {@code null} is refused, and other objects come out of a queue as copies</td></tr>
 * <tr><th scope="row">{@code q.get(timeout=1)}, {@code queue.Empty}</th>
 *     <td>{@code q.get(Duration.ofSeconds(1))}, {@link java.util.NoSuchElementException}</td></tr>
 * <tr><th scope="row">{@code Pipe()}, {@code Listener}, {@code Client}</th>
 *     <td>{@link org.multiprocessing4j.Pipe#open()}, {@link org.multiprocessing4j.Listener},
 *     {@link org.multiprocessing4j.Client}</td></tr>
 * <tr><th scope="row">{@code Lock}, {@code RLock}, {@code Semaphore}, {@code BoundedSemaphore},
 *     {@code Condition}, {@code Event}, {@code Barrier}</th>
 *     <td>the same names, across processes</td></tr>
 * <tr><th scope="row">{@code Value('i', 0)}, {@code Array('d', n)}, {@code v.get_lock()}</th>
 *     <td>{@code Value.ofInt(0)}, {@code Array.ofDoubles(n)}, {@code v.getLock()}</td></tr>
 * <tr><th scope="row">{@code shared_memory.SharedMemory}, {@code ShareableList}</th>
 *     <td>{@link org.multiprocessing4j.SharedMemory}, {@link org.multiprocessing4j.ShareableList}</td></tr>
 * <tr><th scope="row">{@code Manager()}, {@code BaseManager}</th>
 *     <td>{@link org.multiprocessing4j.Manager}, {@link org.multiprocessing4j.BaseManager}</td></tr>
 * <tr><th scope="row">{@code multiprocessing.TimeoutError}</th>
 *     <td>{@link java.util.concurrent.TimeoutException}</td></tr>
 * <tr><th scope="row">a {@code PicklingError}</th>
 *     <td>{@link java.lang.IllegalArgumentException} at the call, saying what could not be sent</td></tr>
 * </tbody>
 * </table>
 *
 * <p>One error policy, in every class:
 * <ul>
 * <li>{@link org.multiprocessing4j.ProcessError}, or a subclass, when something outside the caller's
 *     control is gone or failed: a peer closed its end or died ({@link org.multiprocessing4j.EOFError}),
 *     the process serving a queue, a manager or a pool is gone, a child could not start, a blocking call
 *     was interrupted (the cause is the {@link java.lang.InterruptedException}, the flag restored).</li>
 * <li>{@link java.lang.IllegalStateException} only for the caller's misuse: a handle used after this
 *     process closed it (Python's {@code OSError: handle is closed}), a process started twice, a lock
 *     released that is not held, {@code taskDone()} called once too often.</li>
 * <li>{@link java.lang.IllegalArgumentException} for a bad argument (Python's {@code ValueError}).</li>
 * </ul>
 *
 * <p>Timeouts are {@link java.time.Duration}s. {@code Duration.ZERO} does not wait: the call tries once.
 * Null, where a method accepts it (its Javadoc says so), waits for ever; elsewhere null is refused with
 * a {@link java.lang.NullPointerException}. A negative timeout counts as zero, except in the
 * Python-named methods of the locks, semaphores, events, conditions and barriers, which refuse it with
 * {@link java.lang.IllegalArgumentException}; the methods of a JDK interface ({@code tryLock(long, TimeUnit)},
 * {@code Condition.await(long, TimeUnit)}, {@code BlockingQueue.poll(long, TimeUnit)}) follow that
 * interface: a negative time tries once. A task's deadline ({@code taskTimeout},
 * {@code applyAsync(task, deadline)}) must be positive.
 */
package org.multiprocessing4j;
