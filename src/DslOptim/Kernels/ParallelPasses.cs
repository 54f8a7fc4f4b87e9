using System;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// How the workspace-free passes (<see cref="ElementwiseKernel"/>, <see cref="StatefulKernel"/>,
/// <see cref="Reduction"/>) are split across the threads of <see cref="Parallelism.MaxThreads"/>: fixed chunks,
/// independent of the thread count, run by the persistent helpers of <see cref="ChunkWorkers"/>.
/// </summary>
/// <remarks>
/// <para>Chunks of an in-place pass are laid out relative to the data, not to the threads: chunk 0 is the alignment
/// peel of w followed by <see cref="ChunkLength"/> elements, every later chunk is <see cref="ChunkLength"/> elements
/// (the last one shorter). <see cref="ChunkLength"/> is a multiple of four vectors of every width, so every chunk
/// after the first starts on a vector boundary of w, needs no peel, and has no scalar tail unless it is the last:
/// each element meets the same overload of the update (scalar or vector) as in one pass over the whole span, and the
/// result is bitwise that of the single-threaded pass whatever the thread count and whichever thread runs a chunk.</para>
/// <para>The job objects hold raw pointers (the caller keeps the spans pinned until <see cref="ChunkWorkers.Run"/>
/// returns, which is after every helper has finished) and are cached per calling thread and per closed generic
/// type, so a call allocates nothing once the thread has made its first parallel call of that type.</para>
/// </remarks>
internal static class ParallelPasses
{
    /// <summary>Elements per chunk of a parallel pass: the reduction's chunk, a multiple of 4 × 16 (four Vector512&lt;float&gt;).</summary>
    public const int ChunkLength = Reduction.ChunkLength;

    /// <summary>
    /// The shortest span split across threads: 2<sup>17</sup> = 131,072 elements, 8 chunks (1 MiB of a double weight
    /// span). Below it a pass runs on the calling thread only and never touches the helpers.
    /// </summary>
    /// <remarks>
    /// Chosen from the cost of a split, and to be confirmed on an idle machine with ThresholdBenchmarks (category
    /// Threshold, which forces 1 or 2 threads at 2–16 chunks): handing a pass to a helper costs a few microseconds
    /// (the signal, the helper leaving its spin, one interlocked claim per chunk), and the caller may wait up to one
    /// chunk (3–10 µs for 16,384 elements in cache) for a helper's last chunk. With 8 chunks two threads take about
    /// 4 + 1 chunk-times instead of 8 (~1.6×); with 2–4 chunks the gain is within that overhead. On the development VM
    /// (2 vCPUs shared by several sessions, load average 25–30 during this work, the measuring process getting 0.3
    /// of a CPU) no crossover could be measured: every length from 2<sup>15</sup> to 2<sup>24</sup> ran at 0.8–1.2×
    /// on two threads, while the helpers did run about half the chunks of a 16M-element pass.
    /// </remarks>
    public const int MinParallelLength = 1 << 17;

    /// <summary>Threads to use for a pass over <paramref name="length"/> elements under the process-wide budget.</summary>
    public static int ThreadsFor(int length) => length >= MinParallelLength ? Parallelism.MaxThreads : 1;

    /// <summary>
    /// The elements before the first aligned address of w at the widest accelerated vector width (the width that a
    /// span of at least one chunk always runs at); 0 without SIMD or when w cannot be aligned.
    /// </summary>
    public static unsafe nuint WidestPeel<T>(T* w, nuint n)
        where T : unmanaged
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return ElementwiseKernel.AlignmentPeel(w, n, (nuint)Vector512<T>.Count * (nuint)sizeof(T));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return ElementwiseKernel.AlignmentPeel(w, n, (nuint)Vector256<T>.Count * (nuint)sizeof(T));
        }

        return Vector128.IsHardwareAccelerated ? ElementwiseKernel.AlignmentPeel(w, n, (nuint)Vector128<T>.Count * (nuint)sizeof(T)) : 0;
    }

    /// <summary>Chunks of an in-place pass over <paramref name="n"/> elements whose first chunk holds <paramref name="head"/>.</summary>
    public static int InPlaceChunkCount(nuint n, nuint head) =>
        n <= head ? 1 : 1 + (int)((n - head + ChunkLength - 1) / ChunkLength);

    /// <summary>The range [start, start + length) of in-place chunk <paramref name="index"/>.</summary>
    public static (nuint Start, nuint Length) InPlaceChunk(int index, nuint n, nuint head)
    {
        nuint start = index == 0 ? 0 : head + ((nuint)(index - 1) * ChunkLength);
        nuint end = index == 0 ? head : start + ChunkLength;
        return (start, (end < n ? end : n) - start);
    }
}

/// <summary>One parallel <see cref="ElementwiseKernel"/> pass: chunk i of w and g per item.</summary>
internal sealed unsafe class ElementwiseJob<T, TUpdate> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TUpdate : struct, IElementwiseUpdate<T>
{
    [ThreadStatic]
    private static ElementwiseJob<T, TUpdate>? t_job;

    private T* _w;
    private T* _g;
    private nuint _n;
    private nuint _head;
    private TUpdate _update;
    private bool _busy;

    /// <summary>
    /// The calling thread's job, or null if it is already running one (an update that calls the kernel again from
    /// inside a chunk: the nested call then runs on one thread).
    /// </summary>
    public static ElementwiseJob<T, TUpdate>? ForCurrentThread()
    {
        ElementwiseJob<T, TUpdate> job = t_job ??= new ElementwiseJob<T, TUpdate>();
        return job._busy ? null : job;
    }

    /// <summary>Runs the pass over n elements of pinned w and g on up to <paramref name="threads"/> threads.</summary>
    public void Run(T* w, T* g, nuint n, in TUpdate update, int threads)
    {
        _w = w;
        _g = g;
        _n = n;
        _head = ParallelPasses.WidestPeel(w, n) + ParallelPasses.ChunkLength;
        _update = update;
        _busy = true;
        try
        {
            ChunkWorkers.Run(this, ParallelPasses.InPlaceChunkCount(n, _head), threads);
        }
        finally
        {
            _busy = false;
            _w = null;
            _g = null;
            _update = default;
        }
    }

    /// <summary>Chunk <paramref name="index"/> at the widest width, with a private copy of the operator.</summary>
    public void Run(int index)
    {
        (nuint start, nuint length) = ParallelPasses.InPlaceChunk(index, _n, _head);
        TUpdate u = _update;
        T* w = _w + start;
        T* g = _g + start;
        if (Vector512.IsHardwareAccelerated)
        {
            ElementwiseKernel.Apply512(w, g, length, ref u);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            ElementwiseKernel.Apply256(w, g, length, ref u);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            ElementwiseKernel.Apply128(w, g, length, ref u);
        }
        else
        {
            ElementwiseKernel.ApplyScalar(w, g, length, ref u);
        }
    }
}

/// <summary>One parallel <see cref="StatefulKernel"/> pass: chunk i of w, g and the used states per item.</summary>
internal sealed unsafe class StatefulJob<T, TUpdate> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
    where TUpdate : struct, IStatefulUpdate<T>
{
    [ThreadStatic]
    private static StatefulJob<T, TUpdate>? t_job;

    private T* _w;
    private T* _g;
    private T* _s0;
    private T* _s1;
    private T* _s2;
    private T* _s3;
    private nuint _n;
    private nuint _head;
    private TUpdate _update;
    private bool _busy;

    /// <summary>The calling thread's job, or null if it is already running one.</summary>
    public static StatefulJob<T, TUpdate>? ForCurrentThread()
    {
        StatefulJob<T, TUpdate> job = t_job ??= new StatefulJob<T, TUpdate>();
        return job._busy ? null : job;
    }

    /// <summary>Runs the pass over n elements of the pinned spans (unused states null) on up to <paramref name="threads"/> threads.</summary>
    public void Run(T* w, T* g, T* s0, T* s1, T* s2, T* s3, nuint n, in TUpdate update, int threads)
    {
        _w = w;
        _g = g;
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
        _n = n;
        _head = ParallelPasses.WidestPeel(w, n) + ParallelPasses.ChunkLength;
        _update = update;
        _busy = true;
        try
        {
            ChunkWorkers.Run(this, ParallelPasses.InPlaceChunkCount(n, _head), threads);
        }
        finally
        {
            _busy = false;
            _w = _g = _s0 = _s1 = _s2 = _s3 = null;
            _update = default;
        }
    }

    /// <summary>Chunk <paramref name="index"/> at the widest width, with a private copy of the operator.</summary>
    public void Run(int index)
    {
        (nuint start, nuint length) = ParallelPasses.InPlaceChunk(index, _n, _head);
        TUpdate u = _update;
        T* w = _w + start;
        T* g = _g + start;

        // Unused states stay null (the drivers never touch them), as in the single-threaded pass.
        T* s0 = Advance(_s0, 0, start), s1 = Advance(_s1, 1, start), s2 = Advance(_s2, 2, start), s3 = Advance(_s3, 3, start);
        if (Vector512.IsHardwareAccelerated)
        {
            StatefulKernel.Apply512(w, g, s0, s1, s2, s3, length, ref u);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            StatefulKernel.Apply256(w, g, s0, s1, s2, s3, length, ref u);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            StatefulKernel.Apply128(w, g, s0, s1, s2, s3, length, ref u);
        }
        else
        {
            StatefulKernel.ApplyScalar(w, g, s0, s1, s2, s3, length, ref u);
        }

        static T* Advance(T* s, int state, nuint by) => TUpdate.StateCount > state ? s + by : null;
    }
}

/// <summary>One parallel <see cref="Reduction.SumOfSquares{T}(ReadOnlySpan{T})"/>: the partial sum of reduction chunk i per item.</summary>
internal sealed unsafe class SumOfSquaresJob<T> : IChunkJob
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static SumOfSquaresJob<T>? t_job;

    private double[] _partials = [];
    private T* _x;
    private int _length;
    private bool _busy;

    /// <summary>The calling thread's job, or null if it is already running one.</summary>
    public static SumOfSquaresJob<T>? ForCurrentThread()
    {
        SumOfSquaresJob<T> job = t_job ??= new SumOfSquaresJob<T>();
        return job._busy ? null : job;
    }

    /// <summary>
    /// Σ x_i² over the pinned x: the chunks' partial sums on up to <paramref name="threads"/> threads, then added in
    /// chunk order on the calling thread, left to right from +0 — the single-threaded order exactly.
    /// </summary>
    public double Run(T* x, int length, int threads)
    {
        int chunks = Reduction.ChunkCount(length);
        if (_partials.Length < chunks)
        {
            _partials = new double[chunks]; // once per thread and type, for the longest span seen
        }

        _x = x;
        _length = length;
        _busy = true;
        try
        {
            ChunkWorkers.Run(this, chunks, threads);
        }
        finally
        {
            _busy = false;
            _x = null;
        }

        double total = 0.0;
        for (int c = 0; c < chunks; c++)
        {
            total += _partials[c];
        }

        return total;
    }

    /// <summary>The partial sum of chunk <paramref name="index"/>, into its own slot.</summary>
    public void Run(int index) =>
        _partials[index] = Reduction.SumOfSquaresChunk(new ReadOnlySpan<T>(_x, _length), index);
}
