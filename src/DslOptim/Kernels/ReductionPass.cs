using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// The pass that computes an optimizer's declared reductions (<see cref="ReductionAttribute"/>) before its update: one
/// read of w and g, up to four sums Σ f_k(w_i, g_i) accumulated together, deterministic in the way
/// <see cref="Reduction"/> is.
/// </summary>
/// <remarks>
/// <para>Determinism: the input is cut by index into chunks of <see cref="Reduction.ChunkLength"/> elements; each chunk's
/// partial sums are computed alone and the partials are added left to right from chunk 0, so chunks may run on any
/// number of threads (<see cref="Parallelism.MaxThreads"/>) without changing a bit. Within a chunk, element j goes to
/// lane j mod 8 of 8 double accumulators per reduction whatever the vector width (one Vector512, two Vector256, four
/// Vector128 or eight scalars), the chunk's last partial block is zero-padded and its padded lanes' terms are masked to
/// +0, and the 8 lanes fold in a fixed tree (k += k+4, k+2, k+1). Terms are computed in double (float input is widened
/// exactly), the accumulation is a plain add, never an FMA.</para>
/// <para>Long inputs (<see cref="ParallelPasses.MinParallelLength"/> elements and more) run their chunks on up to
/// <see cref="Parallelism.MaxThreads"/> threads of the persistent helper pool. No allocation per call: the partials'
/// buffer is kept per thread and type, sized once for the longest input seen.</para>
/// </remarks>
public static class ReductionPass
{
    private const int Lanes = 8;

    /// <summary>sums[k] = Σ_i term_k(w_i, g_i) for k &lt; <c>TTerms.Count</c>, in the deterministic order described above.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>: the weights' type.</typeparam>
    /// <typeparam name="TTerms">The terms, computed in double.</typeparam>
    /// <param name="w">The weights.</param>
    /// <param name="g">The gradient, of the same length.</param>
    /// <param name="terms">The terms operator, copied once.</param>
    /// <param name="sums">Receives the sums; at least <c>TTerms.Count</c> long. Empty input gives +0.</param>
    /// <exception cref="ArgumentException">The lengths of <paramref name="w"/> and <paramref name="g"/> differ, or
    /// <paramref name="sums"/> is too short (nothing is written).</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double, or <c>TTerms.Count</c> is not 1 to 4.</exception>
    public static unsafe void Sums<T, TTerms>(ReadOnlySpan<T> w, ReadOnlySpan<T> g, in TTerms terms, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        int count = TTerms.Count;
        if (count is < 1 or > 4)
        {
            throw new NotSupportedException($"{typeof(TTerms).Name}.Count is {count}; a reduction pass carries 1 to 4 reductions.");
        }

        if (w.Length != g.Length)
        {
            throw new ArgumentException($"g has {g.Length} elements but w has {w.Length}; they must have the same length.", nameof(g));
        }

        if (sums.Length < count)
        {
            throw new ArgumentException($"sums has {sums.Length} elements but {count} reductions are computed.", nameof(sums));
        }

        SimdGuard.ThrowIfNotSupported<T>();
        TTerms copy = terms;
        int chunks = Reduction.ChunkCount(w.Length);
        int threads = ParallelPasses.ThreadsFor(w.Length);
        Span<double> partial = stackalloc double[4];
        Span<double> total = stackalloc double[4];
        total.Clear();
        ReductionJob<T, TTerms>? job = threads > 1 ? ReductionJob<T, TTerms>.ForCurrentThread() : null;
        if (job is null)
        {
            for (int c = 0; c < chunks; c++)
            {
                Chunk(w, g, c, ref copy, partial);
                for (int k = 0; k < count; k++)
                {
                    total[k] += partial[k];
                }
            }
        }
        else
        {
            fixed (T* pw = w)
            fixed (T* pg = g)
            {
                job.Run(pw, pg, w.Length, copy, threads);
            }

            ReadOnlySpan<double> partials = job.Partials;
            for (int c = 0; c < chunks; c++)
            {
                for (int k = 0; k < count; k++)
                {
                    total[k] += partials[(c * 4) + k];
                }
            }
        }

        total[..count].CopyTo(sums);
    }

    /// <summary>
    /// One parallel reduction pass on the persistent helpers (<see cref="ChunkWorkers"/>): the partial sums of chunk i
    /// into slots 4i…4i+3. Cached per thread and type so that a step allocates nothing; which thread computes a chunk
    /// never changes its value, and the caller adds the partials in chunk order.
    /// </summary>
    private sealed unsafe class ReductionJob<T, TTerms> : IChunkJob
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        [ThreadStatic]
        private static ReductionJob<T, TTerms>? t_job;

        private double[] _partials = [];
        private T* _w;
        private T* _g;
        private int _length;
        private TTerms _terms;
        private bool _busy;

        /// <summary>The partials of the last run, four per chunk.</summary>
        public ReadOnlySpan<double> Partials => _partials;

        /// <summary>The calling thread's job, or null if it is already running one (a nested call then runs inline).</summary>
        public static ReductionJob<T, TTerms>? ForCurrentThread()
        {
            ReductionJob<T, TTerms> job = t_job ??= new ReductionJob<T, TTerms>();
            return job._busy ? null : job;
        }

        /// <summary>Fills <see cref="Partials"/> for the pinned w and g on up to <paramref name="threads"/> threads.</summary>
        public void Run(T* w, T* g, int length, TTerms terms, int threads)
        {
            int chunks = Reduction.ChunkCount(length);
            if (_partials.Length < chunks * 4)
            {
                _partials = new double[chunks * 4]; // once per thread and type, for the longest input seen
            }

            _w = w;
            _g = g;
            _length = length;
            _terms = terms;
            _busy = true;
            try
            {
                ChunkWorkers.Run(this, chunks, threads);
            }
            finally
            {
                _busy = false;
                _w = null;
                _g = null;
            }
        }

        /// <summary>The partial sums of chunk <paramref name="index"/>, into its own four slots.</summary>
        public void Run(int index)
        {
            TTerms copy = _terms;
            Chunk(new ReadOnlySpan<T>(_w, _length), new ReadOnlySpan<T>(_g, _length), index, ref copy, _partials.AsSpan(index * 4, 4));
        }
    }

    /// <summary>The partial sums of chunk <paramref name="chunkIndex"/>, independent of every other chunk.</summary>
    internal static void Chunk<T, TTerms>(ReadOnlySpan<T> w, ReadOnlySpan<T> g, int chunkIndex, ref TTerms terms, Span<double> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        int start = chunkIndex * Reduction.ChunkLength;
        int length = Math.Min(Reduction.ChunkLength, w.Length - start);
        ReadOnlySpan<T> x = w.Slice(start, length);
        ReadOnlySpan<T> y = g.Slice(start, length);
        if (Vector512.IsHardwareAccelerated)
        {
            Block512(x, y, ref terms, partial);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Block256(x, y, ref terms, partial);
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            Block128(x, y, ref terms, partial);
        }
        else
        {
            BlockScalar(x, y, ref terms, partial);
        }
    }

    /// <summary>Eight consecutive elements from <paramref name="p"/> as doubles (float widened exactly).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Load4<T>(ref T p, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref p), (nuint)i);
        }

        return Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref p), (nuint)i).ToVector256Unsafe());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Load2<T>(ref T p, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref p), (nuint)i);
        }

        ref float f = ref Unsafe.Add(ref Unsafe.As<T, float>(ref p), i);
        return Vector128.Create((double)f, Unsafe.Add(ref f, 1));
    }

    internal static void Block256<T, TTerms>(ReadOnlySpan<T> w, ReadOnlySpan<T> g, ref TTerms terms, Span<double> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        // Accumulators: lanes [0, 4) and [4, 8) of each reduction.
        Vector256<double> a0 = default, b0 = default, a1 = default, b1 = default, a2 = default, b2 = default, a3 = default, b3 = default;
        int full = w.Length - (w.Length % Lanes);
        ref T pw = ref MemoryMarshal.GetReference(w);
        ref T pg = ref MemoryMarshal.GetReference(g);
        for (int i = 0; i < full; i += Lanes)
        {
            terms.Invoke(Load4(ref pw, i), Load4(ref pg, i), out var l0, out var l1, out var l2, out var l3);
            terms.Invoke(Load4(ref pw, i + 4), Load4(ref pg, i + 4), out var h0, out var h1, out var h2, out var h3);
            Add(ref a0, ref b0, l0, h0, ref a1, ref b1, l1, h1, ref a2, ref b2, l2, h2, ref a3, ref b3, l3, h3, TTerms.Count);
        }

        if (full < w.Length)
        {
            Span<T> tw = stackalloc T[Lanes];
            Span<T> tg = stackalloc T[Lanes];
            tw.Clear();
            tg.Clear();
            w[full..].CopyTo(tw);
            g[full..].CopyTo(tg);
            int valid = w.Length - full;
            Vector256<double> index = Vector256.Create(0.0, 1, 2, 3);
            Vector256<double> lowMask = Vector256.LessThan(index, Vector256.Create((double)valid));
            Vector256<double> highMask = Vector256.LessThan(index + Vector256.Create(4.0), Vector256.Create((double)valid));
            ref T qw = ref MemoryMarshal.GetReference(tw);
            ref T qg = ref MemoryMarshal.GetReference(tg);
            terms.Invoke(Load4(ref qw, 0), Load4(ref qg, 0), out var l0, out var l1, out var l2, out var l3);
            terms.Invoke(Load4(ref qw, 4), Load4(ref qg, 4), out var h0, out var h1, out var h2, out var h3);
            Add(ref a0, ref b0, l0 & lowMask, h0 & highMask, ref a1, ref b1, l1 & lowMask, h1 & highMask,
                ref a2, ref b2, l2 & lowMask, h2 & highMask, ref a3, ref b3, l3 & lowMask, h3 & highMask, TTerms.Count);
        }

        partial[0] = Fold(a0, b0);
        partial[1] = Fold(a1, b1);
        partial[2] = Fold(a2, b2);
        partial[3] = Fold(a3, b3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(
        ref Vector256<double> a0, ref Vector256<double> b0, Vector256<double> l0, Vector256<double> h0,
        ref Vector256<double> a1, ref Vector256<double> b1, Vector256<double> l1, Vector256<double> h1,
        ref Vector256<double> a2, ref Vector256<double> b2, Vector256<double> l2, Vector256<double> h2,
        ref Vector256<double> a3, ref Vector256<double> b3, Vector256<double> l3, Vector256<double> h3, int count)
    {
        a0 += l0;
        b0 += h0;
        if (count > 1)
        {
            a1 += l1;
            b1 += h1;
        }

        if (count > 2)
        {
            a2 += l2;
            b2 += h2;
        }

        if (count > 3)
        {
            a3 += l3;
            b3 += h3;
        }
    }

    // The fixed fold of 8 lanes: k += k+4 (a + b), then k += k+2, then k += k+1.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Fold(Vector256<double> a, Vector256<double> b)
    {
        Vector256<double> c = a + b;
        Vector128<double> d = c.GetLower() + c.GetUpper();
        return d.GetElement(0) + d.GetElement(1);
    }

    internal static void Block512<T, TTerms>(ReadOnlySpan<T> w, ReadOnlySpan<T> g, ref TTerms terms, Span<double> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        int count = TTerms.Count;
        int full = w.Length - (w.Length % Lanes);
        ref T pw = ref MemoryMarshal.GetReference(w);
        ref T pg = ref MemoryMarshal.GetReference(g);
        Span<T> tw = stackalloc T[Lanes];
        Span<T> tg = stackalloc T[Lanes];
        for (int i = 0; i <= full; i += Lanes)
        {
            Vector512<double> mask = Vector512<double>.AllBitsSet;
            scoped ref T bw = ref Unsafe.Add(ref pw, i);
            scoped ref T bg = ref Unsafe.Add(ref pg, i);
            if (i == full)
            {
                if (full == w.Length)
                {
                    break;
                }

                tw.Clear();
                tg.Clear();
                w[full..].CopyTo(tw);
                g[full..].CopyTo(tg);
                bw = ref MemoryMarshal.GetReference(tw);
                bg = ref MemoryMarshal.GetReference(tg);
                mask = Vector512.LessThan(Vector512.Create(0.0, 1, 2, 3, 4, 5, 6, 7), Vector512.Create((double)(w.Length - full)));
            }

            var x = Vector512.Create(Load4(ref bw, 0), Load4(ref bw, 4));
            var y = Vector512.Create(Load4(ref bg, 0), Load4(ref bg, 4));
            terms.Invoke(x, y, out var r0, out var r1, out var r2, out var r3);
            a0 += r0 & mask;
            if (count > 1)
            {
                a1 += r1 & mask;
            }

            if (count > 2)
            {
                a2 += r2 & mask;
            }

            if (count > 3)
            {
                a3 += r3 & mask;
            }
        }

        partial[0] = Fold(a0.GetLower(), a0.GetUpper());
        partial[1] = Fold(a1.GetLower(), a1.GetUpper());
        partial[2] = Fold(a2.GetLower(), a2.GetUpper());
        partial[3] = Fold(a3.GetLower(), a3.GetUpper());
    }

    internal static void Block128<T, TTerms>(ReadOnlySpan<T> w, ReadOnlySpan<T> g, ref TTerms terms, Span<double> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        // acc[4k + j] holds lanes [2j, 2j + 2) of reduction k.
        Span<Vector128<double>> acc = stackalloc Vector128<double>[16];
        acc.Clear();
        int count = TTerms.Count;
        int full = w.Length - (w.Length % Lanes);
        ref T pw = ref MemoryMarshal.GetReference(w);
        ref T pg = ref MemoryMarshal.GetReference(g);
        Span<T> tw = stackalloc T[Lanes];
        Span<T> tg = stackalloc T[Lanes];
        for (int i = 0; i <= full; i += Lanes)
        {
            int valid = Lanes;
            scoped ref T bw = ref Unsafe.Add(ref pw, i);
            scoped ref T bg = ref Unsafe.Add(ref pg, i);
            if (i == full)
            {
                if (full == w.Length)
                {
                    break;
                }

                tw.Clear();
                tg.Clear();
                w[full..].CopyTo(tw);
                g[full..].CopyTo(tg);
                bw = ref MemoryMarshal.GetReference(tw);
                bg = ref MemoryMarshal.GetReference(tg);
                valid = w.Length - full;
            }

            for (int j = 0; j < 4; j++)
            {
                terms.Invoke(Load2(ref bw, 2 * j), Load2(ref bg, 2 * j), out var r0, out var r1, out var r2, out var r3);
                Vector128<double> mask = Vector128.LessThan(Vector128.Create(2.0 * j, (2.0 * j) + 1), Vector128.Create((double)valid));
                acc[j] += r0 & mask;
                if (count > 1)
                {
                    acc[4 + j] += r1 & mask;
                }

                if (count > 2)
                {
                    acc[8 + j] += r2 & mask;
                }

                if (count > 3)
                {
                    acc[12 + j] += r3 & mask;
                }
            }
        }

        for (int k = 0; k < 4; k++)
        {
            // k += k+4 (lanes [0,4) + [4,8)), then k += k+2, then k += k+1: the same tree as Fold.
            Vector128<double> l0 = acc[4 * k] + acc[(4 * k) + 2];
            Vector128<double> l1 = acc[(4 * k) + 1] + acc[(4 * k) + 3];
            Vector128<double> d = l0 + l1;
            partial[k] = d.GetElement(0) + d.GetElement(1);
        }
    }

    internal static void BlockScalar<T, TTerms>(ReadOnlySpan<T> w, ReadOnlySpan<T> g, ref TTerms terms, Span<double> partial)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerms : struct, IReductionTerms<double>
    {
        Span<double> lane = stackalloc double[4 * Lanes];
        lane.Clear();
        for (int i = 0; i < w.Length; i++)
        {
            terms.Invoke(double.CreateTruncating(w[i]), double.CreateTruncating(g[i]), out double r0, out double r1, out double r2, out double r3);
            int j = i % Lanes;
            lane[j] += r0;
            lane[Lanes + j] += r1;
            lane[(2 * Lanes) + j] += r2;
            lane[(3 * Lanes) + j] += r3;
        }

        for (int k = 0; k < 4; k++)
        {
            Span<double> l = lane.Slice(k * Lanes, Lanes);
            for (int width = Lanes / 2; width >= 1; width /= 2)
            {
                for (int j = 0; j < width; j++)
                {
                    l[j] += l[j + width];
                }
            }

            partial[k] = l[0];
        }
    }
}
