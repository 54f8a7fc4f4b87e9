using System;
using System.Diagnostics;

namespace DslOptim.Tests;

/// <summary>
/// Bytes allocated on the calling thread by a run of calls, measured only over windows with no garbage collection in
/// them: a collection that another thread triggers (test classes run in parallel) can retire this thread's allocation
/// context and make <see cref="GC.GetAllocatedBytesForCurrentThread"/> jump by its unused rest (up to ~8 KB) without
/// anything being allocated. A window with no collection is exact, so a real allocation is still reported.
/// </summary>
internal static class Allocation
{
    /// <summary>How long windows are retried until one has no collection in it.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(10);

    /// <summary>Collection-free windows measured; the least of them is reported.</summary>
    public const int Windows = 3;

    /// <summary>
    /// Runs <paramref name="call"/> <paramref name="warmUp"/> times (so the JIT reaches its final tier), then measures
    /// windows of at most <paramref name="calls"/> calls and returns the least allocation of <see cref="Windows"/> windows
    /// that had no garbage collection in them. A window that had a collection is followed by one half as long (down to
    /// one call): when other test classes collect often, a short window still sees any allocation of the call itself.
    /// The least of several windows, because a one-time event of the runtime (a tiered-compilation promotion a little
    /// after the warm-up, say) can allocate once on this thread; an allocation of the call itself is in every window.
    /// The argument of <paramref name="call"/> counts calls from 0 across warm-up and windows (a step index, say).
    /// </summary>
    /// <exception cref="TimeoutException">No window within <see cref="Budget"/> was free of collections.</exception>
    public static long OverCollectionFreeWindow(Action<int> call, int calls, int warmUp)
    {
        int index = 0;
        for (int i = 0; i < warmUp; i++)
        {
            call(index++);
        }

        var elapsed = Stopwatch.StartNew();
        int window = calls;
        int measured = 0;
        long least = long.MaxValue;
        do
        {
            int collections = GC.CollectionCount(0);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < window; i++)
            {
                call(index++);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (GC.CollectionCount(0) == collections)
            {
                least = Math.Min(least, allocated);
                measured++;
            }
            else
            {
                window = Math.Max(1, window / 2);
            }
        }
        while (measured < Windows && elapsed.Elapsed < Budget);

        return measured > 0
            ? least
            : throw new TimeoutException($"every window of calls had a garbage collection in it for {Budget.TotalSeconds} s");
    }

    /// <summary>
    /// The same measurement for calls whose work may run on the persistent helper threads (<see cref="DslOptim.Kernels.ChunkWorkers"/>):
    /// the least bytes allocated on the calling thread and on the helpers (which count their own, per calling thread)
    /// over <see cref="Windows"/> collection-free windows, and whether a helper ran an item in any of them. With
    /// <paramref name="untilShared"/>, windows go on (within <see cref="Budget"/>) until a helper took part.
    /// </summary>
    /// <exception cref="TimeoutException">No window within <see cref="Budget"/> was free of collections.</exception>
    public static (long Caller, long Helpers, bool Shared) OverCollectionFreeWindowsWithHelpers(Action<int> call, int calls, int warmUp, bool untilShared)
    {
        int index = 0;
        for (int i = 0; i < warmUp; i++)
        {
            call(index++);
        }

        var elapsed = Stopwatch.StartNew();
        int window = calls;
        int measured = 0;
        long caller = long.MaxValue, helpers = long.MaxValue;
        bool shared = false;
        do
        {
            int collections = GC.CollectionCount(0);
            long helperItems = DslOptim.Kernels.ChunkWorkers.HelperItemsForCurrentThread;
            long helperBytes = DslOptim.Kernels.ChunkWorkers.HelperAllocatedBytesForCurrentThread;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < window; i++)
            {
                call(index++);
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long allocatedByHelpers = DslOptim.Kernels.ChunkWorkers.HelperAllocatedBytesForCurrentThread - helperBytes;
            if (GC.CollectionCount(0) == collections)
            {
                caller = Math.Min(caller, allocated);
                helpers = Math.Min(helpers, allocatedByHelpers);
                shared |= DslOptim.Kernels.ChunkWorkers.HelperItemsForCurrentThread > helperItems;
                measured++;
            }
            else
            {
                window = Math.Max(1, window / 2);
            }
        }
        while ((measured < Windows || (untilShared && !shared)) && elapsed.Elapsed < Budget);

        return measured > 0
            ? (caller, helpers, shared)
            : throw new TimeoutException($"every window of calls had a garbage collection in it for {Budget.TotalSeconds} s");
    }
}
