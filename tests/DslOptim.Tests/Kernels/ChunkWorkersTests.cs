using System;
using System.Threading;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// <see cref="ChunkWorkers.Run"/>: every item runs exactly once whatever the number of threads, and items are claimed
/// in runs of consecutive indices (guided scheduling), so a streaming pass keeps long contiguous stretches per thread.
/// </summary>
public class ChunkWorkersTests
{
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(7, 2)]
    [InlineData(100, 3)]
    [InlineData(977, 2)]
    [InlineData(977, 8)]
    public void EveryItemRunsExactlyOnce(int count, int threads)
    {
        for (int repeat = 0; repeat < 20; repeat++)
        {
            var job = new RecordingJob(count);
            ChunkWorkers.Run(job, count, threads);
            for (int i = 0; i < count; i++)
            {
                Assert.True(job.Runs[i] == 1, $"item {i} of {count} ran {job.Runs[i]} times on {threads} threads");
            }
        }
    }

    [Fact]
    public void TheFirstClaimIsOneRunOnOneThread()
    {
        // With 977 items on 2 threads the first claim is items 0 … 243 (977 / (2 × 2)), whichever thread makes it;
        // claiming item by item would split them between the threads whenever the helper joins early.
        const int count = 977, threads = 2, firstRun = count / (2 * threads);
        for (int repeat = 0; repeat < 50; repeat++)
        {
            var job = new RecordingJob(count);
            ChunkWorkers.Run(job, count, threads);
            for (int i = 1; i < firstRun; i++)
            {
                Assert.Equal(job.Threads[0], job.Threads[i]);
            }
        }
    }

    [Fact]
    public void AnItemsExceptionReachesTheCallerAndStopsTheDistribution()
    {
        var job = new RecordingJob(1000, throwAt: 10);
        var e = Assert.Throws<InvalidOperationException>(() => ChunkWorkers.Run(job, 1000, 2));
        Assert.Equal("item 10", e.Message);
        int ran = 0;
        foreach (int r in job.Runs)
        {
            Assert.InRange(r, 0, 1);
            ran += r;
        }

        Assert.True(ran < 1000, "the items after the failing one's run were still distributed");
    }

    private sealed class RecordingJob(int count, int throwAt = -1) : IChunkJob
    {
        public int[] Runs { get; } = new int[count];

        public int[] Threads { get; } = new int[count];

        public void Run(int index)
        {
            Interlocked.Increment(ref Runs[index]);
            Threads[index] = Environment.CurrentManagedThreadId;
            if (index == throwAt)
            {
                throw new InvalidOperationException($"item {index}");
            }

            Thread.SpinWait(200); // long enough that the helper, once woken, takes part
        }
    }
}
