using System;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace DslOptim.Kernels;

/// <summary>One parallel loop body: work item <c>index</c> of a job, independent of every other item.</summary>
internal interface IChunkJob
{
    /// <summary>Runs work item <paramref name="index"/>.</summary>
    void Run(int index);
}

/// <summary>
/// A small persistent worker scheme for the linear-model kernels: a process-wide set of background helper threads that
/// join the calling thread in running the items of an <see cref="IChunkJob"/>. No allocation per call (Parallel.For
/// allocates about 1.5 KB per call), and a helper that has just worked spins for a while before it sleeps, so that the
/// back-to-back calls of an optimization loop do not pay a thread wake-up each (measured at ~250 µs on average, and up
/// to milliseconds, on the development VM).
/// </summary>
/// <remarks>
/// <para>Protocol. Each call is a new generation. The caller publishes the job, signals up to <c>threads − 1</c>
/// helpers (waking those asleep), and runs items itself; the caller and the helpers claim runs of item indices from a
/// shared counter. A helper must <em>join</em> the generation before it touches the job; when the caller runs out of
/// items it <em>closes</em> the generation (a late helper can no longer join) and waits, spinning, only for the
/// helpers that joined to finish their last run. So a slow wake-up never delays a call.</para>
/// <para>Determinism does not depend on this class: which thread runs which item varies from call to call, and every
/// job writes one buffer per item and combines them in item order afterwards.</para>
/// <para>One job runs at a time. A call that finds the helpers busy (another thread is running a job, or an item itself
/// calls back in) runs its items inline on the calling thread — with the same result.</para>
/// <para>So whether a helper takes part in a given call is up to the scheduler and to the other callers: a short call
/// may be over before a woken helper gets a core, and calls made while another thread's job holds the helpers run
/// inline. No fixed number of calls is guaranteed to be shared; tests that need proof of sharing repeat calls until
/// <see cref="HelperItemsForCurrentThread"/> grows, within a time budget.</para>
/// <para>Helpers are started on first need, up to <see cref="MaxHelpers"/>, and live for the rest of the process as
/// background threads (they never keep it alive). After a job a helper spins for about <see cref="SpinMicroseconds"/>
/// µs (yielding its core to any other ready thread) waiting for the next, then sleeps on its own semaphore.
/// An exception thrown by an item stops the distribution of further items and is rethrown on the calling thread.</para>
/// </remarks>
internal static class ChunkWorkers
{
    /// <summary>The most helper threads ever started.</summary>
    public const int MaxHelpers = 63;

    /// <summary>How long an idle helper spins before it sleeps.</summary>
    public const int SpinMicroseconds = 250;

    /// <summary>A claim takes 1/(GuidedShare × threads) of the items left (see <see cref="Participate"/>).</summary>
    private const int GuidedShare = 2;

    private const long ClosedBit = 1L << 31;
    private const long JoinedMask = ClosedBit - 1;

    private static readonly object Gate = new();
    private static readonly long SpinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
    private static Helper[] s_helpers = [];
    private static int s_busy;
    private static int s_generation;
    private static long s_state; // generation << 32 | closed << 31 | helpers joined
    private static IChunkJob? s_job;
    private static int s_count;
    private static int s_participants;
    private static int s_next;
    private static int s_finished;
    private static Exception? s_error;
    private static long s_jobHelperItems;
    private static long s_jobHelperAllocatedBytes;

    [ThreadStatic]
    private static long t_helperItems;

    [ThreadStatic]
    private static long t_helperAllocatedBytes;

    /// <summary>
    /// Items that helper threads ran for the jobs started on the current thread (for tests: proof that <em>this</em>
    /// thread's calls were shared). Per calling thread on purpose: a process-wide count also grows with other threads'
    /// jobs, so it cannot tell whether a given caller's work was shared.
    /// </summary>
    internal static long HelperItemsForCurrentThread => t_helperItems;

    /// <summary>Bytes that helper threads allocated while running items of the jobs started on the current thread (for tests).</summary>
    internal static long HelperAllocatedBytesForCurrentThread => t_helperAllocatedBytes;

    /// <summary>Runs <c>job.Run(i)</c> for every i in [0, <paramref name="count"/>) on up to <paramref name="threads"/> threads, the caller included.</summary>
    public static void Run(IChunkJob job, int count, int threads)
    {
        int helpers = Math.Min(Math.Min(threads - 1, count - 1), MaxHelpers);
        if (helpers <= 0 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++)
            {
                job.Run(i);
            }

            return;
        }

        try
        {
            Helper[] pool = EnsureStarted(helpers);
            int generation = s_generation = (s_generation + 1) & int.MaxValue;
            s_job = job;
            s_count = count;
            s_participants = helpers + 1;
            s_next = 0;
            s_finished = 0;
            s_error = null;
            s_jobHelperItems = 0;
            s_jobHelperAllocatedBytes = 0;
            Volatile.Write(ref s_state, (long)generation << 32); // open, nobody joined; publishes the fields above
            for (int h = 0; h < helpers; h++)
            {
                pool[h].Signal(generation);
            }

            Participate(job, count);

            // Close: from here no helper can join; wait for those that did (they are on their last item at most).
            int joined = (int)(Interlocked.Or(ref s_state, ClosedBit) & JoinedMask);
            var spin = default(SpinWait);
            while (Volatile.Read(ref s_finished) != joined)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            // The helpers' counts of this job: each helper added its own before it signalled completion above.
            t_helperItems += s_jobHelperItems;
            t_helperAllocatedBytes += s_jobHelperAllocatedBytes;
            s_job = null;
            Exception? error = s_error;
            s_error = null;
            if (error is not null)
            {
                ExceptionDispatchInfo.Throw(error);
            }
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static Helper[] EnsureStarted(int helpers)
    {
        Helper[] pool = Volatile.Read(ref s_helpers);
        if (pool.Length >= helpers)
        {
            return pool;
        }

        lock (Gate)
        {
            pool = s_helpers;
            if (pool.Length < helpers)
            {
                var grown = new Helper[helpers];
                Array.Copy(pool, grown, pool.Length);
                for (int h = pool.Length; h < helpers; h++)
                {
                    grown[h] = new Helper();
                    grown[h].Start();
                }

                Volatile.Write(ref s_helpers, grown);
                pool = grown;
            }

            return pool;
        }
    }

    /// <summary>Joins <paramref name="generation"/> unless it is closed or already over; true if joined.</summary>
    private static bool TryJoin(int generation)
    {
        while (true)
        {
            long state = Volatile.Read(ref s_state);
            if ((int)(state >> 32) != generation || (state & ClosedBit) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref s_state, state + 1, state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>Claims and runs items until none is left; returns how many this thread ran.</summary>
    /// <remarks>
    /// Items are claimed in runs of consecutive indices, each a share of what is left (guided scheduling: the first
    /// claims are long, the last ones single items, so the threads still finish together). For the streaming passes
    /// an item is a 16,384-element chunk, and a thread that walks a long run of them keeps one stream per array for
    /// the hardware prefetchers; claiming one chunk at a time made two threads interleave 64–128 KiB pieces, and the
    /// stateful floor at 16M floats on two threads took 5.7 ms against 4.9 ms for two contiguous halves (Zen 5 VM).
    /// </remarks>
    private static int Participate(IChunkJob job, int count)
    {
        int ran = 0;
        while (true)
        {
            int first = Volatile.Read(ref s_next);
            if (first >= count)
            {
                return ran;
            }

            int run = Math.Max(1, (count - first) / (GuidedShare * s_participants));
            if (Interlocked.CompareExchange(ref s_next, first + run, first) != first)
            {
                continue; // another thread claimed first: read again
            }

            try
            {
                for (int index = first; index < first + run; index++)
                {
                    job.Run(index);
                    ran++;
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref s_error, e, null);
                Volatile.Write(ref s_next, count);
                return ran;
            }
        }
    }

    /// <summary>One helper thread: its signal (the generation it is asked to join) and its sleep semaphore.</summary>
    private sealed class Helper
    {
        private readonly SemaphoreSlim _wake = new(0);
        private int _signal;
        private int _sleeping;

        public void Start()
        {
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = "DslOptim linear-model worker",
            };
            thread.Start();
        }

        /// <summary>Asks the helper to join <paramref name="generation"/>, waking it if it sleeps.</summary>
        public void Signal(int generation)
        {
            Volatile.Write(ref _signal, generation);

            // Both sides use a full fence between their write and their read (this CAS; the helper's Exchange), so
            // either the helper sees the signal before it sleeps or this sees it asleep and wakes it.
            if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
            {
                _wake.Release();
            }
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                seen = WaitForSignal(seen);
                if (!TryJoin(seen))
                {
                    continue; // too late: the caller finished without this helper
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                int ran = Participate(s_job!, s_count);
                Interlocked.Add(ref s_jobHelperAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - before);
                Interlocked.Add(ref s_jobHelperItems, ran);
                Interlocked.Increment(ref s_finished); // last: after it the caller may read the counts and publish the next job
            }
        }

        /// <summary>Spins, then sleeps, until the signal differs from <paramref name="seen"/>; returns it.</summary>
        private int WaitForSignal(int seen)
        {
            while (true)
            {
                long deadline = Stopwatch.GetTimestamp() + SpinTicks;
                int spins = 0;
                while (true)
                {
                    int signal = Volatile.Read(ref _signal);
                    if (signal != seen)
                    {
                        return signal;
                    }

                    if ((++spins & 63) == 0)
                    {
                        if (Stopwatch.GetTimestamp() > deadline)
                        {
                            break;
                        }

                        Thread.Yield();
                    }
                    else
                    {
                        Thread.SpinWait(20);
                    }
                }

                Interlocked.Exchange(ref _sleeping, 1);
                int late = Volatile.Read(ref _signal);
                if (late != seen)
                {
                    Interlocked.Exchange(ref _sleeping, 0); // a stale permit may remain: the loop above absorbs it
                    return late;
                }

                _wake.Wait();
            }
        }
    }
}
