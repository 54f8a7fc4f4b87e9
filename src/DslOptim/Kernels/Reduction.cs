using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// Deterministic reductions: the sum of squares and the Frobenius norm that isotropic potentials need before
/// their update pass. The result depends only on the values and their order — not on the span's address,
/// the machine's vector width or (once chunks run in parallel) the number of threads.
/// </summary>
/// <remarks>
/// <para>How determinism is built in. The input is cut by index into chunks of <see cref="ChunkLength"/>
/// elements; the partial sums of the chunks are added left to right, starting from chunk 0. Within a chunk,
/// element j goes to lane j mod 32 of 32 double accumulators, whatever the vector width (4×8 lanes with
/// Vector512, 8×4 with Vector256, 16×2 with Vector128, 32 scalars without SIMD); each lane adds its squares in
/// index order; the chunk's last partial block is zero-padded (adding +0 to a sum of squares leaves it
/// unchanged bit for bit); the 32 lanes are then folded in a fixed tree (lane k += lane k+16, then k+8, k+4,
/// k+2, k+1). No alignment peel: it would shift which elements meet in a lane. So every width performs the
/// same double operations in the same order, and a parallel version only has to compute chunks on separate
/// threads and add them in chunk order to reproduce the single-threaded result exactly.</para>
/// <para>Accumulation is in double for float input too (floats are widened exactly, their squares are exact
/// in double): a float accumulator over millions of elements would lose ~1e-4 relative, and the norm feeds a
/// scalar coefficient of every element's update. Squares are a multiply then an add, never an FMA, so the
/// result is the same on machines with and without FMA.</para>
/// </remarks>
public static partial class Reduction
{
    /// <summary>
    /// Elements per chunk: the unit of parallel work and of the fixed summation order. 16384 doubles
    /// are 128 KiB, enough to amortize scheduling and small enough to balance across cores.
    /// </summary>
    public const int ChunkLength = 16384;

    // Lanes of the canonical accumulator: 32 = four Vector512<double>, the widest machine's unroll of 4.
    private const int Lanes = 32;

    /// <summary>Σ x_i², accumulated in double, in the deterministic order described on <see cref="Reduction"/>.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The values; empty gives +0.</param>
    /// <returns>
    /// The sum of squares. NaN if any element is NaN; +∞ if any is infinite or if the sum overflows (double
    /// input with elements beyond ~1.3e154, or a sum beyond 1.8e308 — the squares are not rescaled);
    /// elements below ~1.5e-154 in magnitude square to subnormals or 0 and contribute less precisely.
    /// All terms are non-negative, so nothing cancels: the relative error is at most about
    /// (min(n, ChunkLength)/32 + n/ChunkLength + 6)·2^-53 for n elements (≈ 6e-14 for a million), typically far less.
    /// </returns>
    /// <remarks>
    /// Spans of at least 131,072 elements have their chunks computed on up to <see cref="Parallelism.MaxThreads"/>
    /// threads, then added in chunk order: the same bits as on one thread. No allocation (after a thread's first
    /// parallel call, which sizes its buffer of partial sums).
    /// </remarks>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => SumOfSquares(x, ParallelPasses.ThreadsFor(x.Length));

    /// <summary>
    /// <see cref="SumOfSquares{T}(ReadOnlySpan{T})"/> on up to <paramref name="threads"/> threads whatever the length
    /// (tests; the public overload applies <see cref="ParallelPasses.MinParallelLength"/>).
    /// </summary>
    internal static unsafe double SumOfSquares<T>(ReadOnlySpan<T> x, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        int chunks = ChunkCount(x.Length);
        if (threads > 1 && chunks > 1 && SumOfSquaresJob<T>.ForCurrentThread() is { } job)
        {
            fixed (T* p = x)
            {
                return job.Run(p, x.Length, threads);
            }
        }

        double total = 0.0;
        for (int c = 0; c < chunks; c++)
        {
            total += SumOfSquaresChunk(x, c);
        }

        return total;
    }

    /// <summary>‖x‖ = √(Σ x_i²): the Frobenius norm of a matrix stored in x, the Euclidean norm of a vector.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The values; empty gives +0.</param>
    /// <returns>√<see cref="SumOfSquares{T}(ReadOnlySpan{T})"/>, with its edge cases (NaN, +∞ on overflow).</returns>
    public static double FrobeniusNorm<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Math.Sqrt(SumOfSquares(x));

    /// <summary>Number of chunks of a span of <paramref name="length"/> elements.</summary>
    internal static int ChunkCount(int length) => (int)(((long)length + ChunkLength - 1) / ChunkLength);

    /// <summary>
    /// The partial sum of chunk <paramref name="chunkIndex"/> (elements [c·ChunkLength, min((c+1)·ChunkLength, n))).
    /// Independent of every other chunk: the parallel version calls this per chunk and adds in chunk order.
    /// </summary>
    internal static double SumOfSquaresChunk<T>(ReadOnlySpan<T> x, int chunkIndex)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int start = chunkIndex * ChunkLength;
        int length = Math.Min(ChunkLength, x.Length - start);
        return SumOfSquaresBlock(x.Slice(start, length));
    }

    /// <summary>The canonical 32-lane sum of squares of one chunk at the widest accelerated width.</summary>
    internal static double SumOfSquaresBlock<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated)
        {
            return Block512(x);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Block256(x);
        }

        return Vector128.IsHardwareAccelerated ? Block128(x) : BlockScalar(x);
    }

    // Each Block method: the full 32-element blocks straight from x, then the remaining < 32 elements copied
    // into a zero-padded 32-element stack buffer and run as one more block, then the fixed fold.

    /// <summary>Vector512 form: accumulators a0..a3 hold lanes [0,8), [8,16), [16,24), [24,32).</summary>
    internal static double Block512<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
        int full = x.Length - (x.Length % Lanes);
        Accumulate512(ref MemoryMarshal.GetReference(x), full, ref a0, ref a1, ref a2, ref a3);
        if (full < x.Length)
        {
            Span<T> padded = stackalloc T[Lanes];
            padded.Clear();
            x[full..].CopyTo(padded);
            Accumulate512(ref MemoryMarshal.GetReference(padded), Lanes, ref a0, ref a1, ref a2, ref a3);
        }

        // Fold: k += k+16, k += k+8, then k += k+4, k+2, k+1 inside the last vector.
        Vector512<double> b = (a0 + a2) + (a1 + a3);
        Vector256<double> c = b.GetLower() + b.GetUpper();
        Vector128<double> d = c.GetLower() + c.GetUpper();
        return d.GetElement(0) + d.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate512<T>(
        ref T start, int count, ref Vector512<double> a0, ref Vector512<double> a1, ref Vector512<double> a2, ref Vector512<double> a3)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<double> s0 = a0, s1 = a1, s2 = a2, s3 = a3;
        if (typeof(T) == typeof(double))
        {
            ref double p = ref Unsafe.As<T, double>(ref start);
            for (int i = 0; i < count; i += Lanes)
            {
                Vector512<double> v0 = Vector512.LoadUnsafe(ref p, (nuint)i);
                Vector512<double> v1 = Vector512.LoadUnsafe(ref p, (nuint)(i + 8));
                Vector512<double> v2 = Vector512.LoadUnsafe(ref p, (nuint)(i + 16));
                Vector512<double> v3 = Vector512.LoadUnsafe(ref p, (nuint)(i + 24));
                s0 += v0 * v0;
                s1 += v1 * v1;
                s2 += v2 * v2;
                s3 += v3 * v3;
            }
        }
        else
        {
            ref float p = ref Unsafe.As<T, float>(ref start);
            for (int i = 0; i < count; i += Lanes)
            {
                (Vector512<double> v0, Vector512<double> v1) = Vector512.Widen(Vector512.LoadUnsafe(ref p, (nuint)i));
                (Vector512<double> v2, Vector512<double> v3) = Vector512.Widen(Vector512.LoadUnsafe(ref p, (nuint)(i + 16)));
                s0 += v0 * v0;
                s1 += v1 * v1;
                s2 += v2 * v2;
                s3 += v3 * v3;
            }
        }

        a0 = s0;
        a1 = s1;
        a2 = s2;
        a3 = s3;
    }

    /// <summary>Vector256 form: accumulators a0..a7 hold lanes [4j, 4j+4).</summary>
    internal static double Block256<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Acc256 a = default;
        int full = x.Length - (x.Length % Lanes);
        Accumulate256(ref MemoryMarshal.GetReference(x), full, ref a);
        if (full < x.Length)
        {
            Span<T> padded = stackalloc T[Lanes];
            padded.Clear();
            x[full..].CopyTo(padded);
            Accumulate256(ref MemoryMarshal.GetReference(padded), Lanes, ref a);
        }

        // k += k+16 (a_j + a_{j+4}), k += k+8 (b_j + b_{j+2}), k += k+4 (c_0 + c_1), then k+2, k+1.
        Vector256<double> b0 = a.A0 + a.A4, b1 = a.A1 + a.A5, b2 = a.A2 + a.A6, b3 = a.A3 + a.A7;
        Vector256<double> c = (b0 + b2) + (b1 + b3);
        Vector128<double> d = c.GetLower() + c.GetUpper();
        return d.GetElement(0) + d.GetElement(1);
    }

    private struct Acc256
    {
        public Vector256<double> A0, A1, A2, A3, A4, A5, A6, A7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate256<T>(ref T start, int count, ref Acc256 a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<double> s0 = a.A0, s1 = a.A1, s2 = a.A2, s3 = a.A3, s4 = a.A4, s5 = a.A5, s6 = a.A6, s7 = a.A7;
        if (typeof(T) == typeof(double))
        {
            ref double p = ref Unsafe.As<T, double>(ref start);
            for (int i = 0; i < count; i += Lanes)
            {
                Vector256<double> v0 = Vector256.LoadUnsafe(ref p, (nuint)i);
                Vector256<double> v1 = Vector256.LoadUnsafe(ref p, (nuint)(i + 4));
                Vector256<double> v2 = Vector256.LoadUnsafe(ref p, (nuint)(i + 8));
                Vector256<double> v3 = Vector256.LoadUnsafe(ref p, (nuint)(i + 12));
                Vector256<double> v4 = Vector256.LoadUnsafe(ref p, (nuint)(i + 16));
                Vector256<double> v5 = Vector256.LoadUnsafe(ref p, (nuint)(i + 20));
                Vector256<double> v6 = Vector256.LoadUnsafe(ref p, (nuint)(i + 24));
                Vector256<double> v7 = Vector256.LoadUnsafe(ref p, (nuint)(i + 28));
                s0 += v0 * v0;
                s1 += v1 * v1;
                s2 += v2 * v2;
                s3 += v3 * v3;
                s4 += v4 * v4;
                s5 += v5 * v5;
                s6 += v6 * v6;
                s7 += v7 * v7;
            }
        }
        else
        {
            ref float p = ref Unsafe.As<T, float>(ref start);
            for (int i = 0; i < count; i += Lanes)
            {
                (Vector256<double> v0, Vector256<double> v1) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)i));
                (Vector256<double> v2, Vector256<double> v3) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)(i + 8)));
                (Vector256<double> v4, Vector256<double> v5) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)(i + 16)));
                (Vector256<double> v6, Vector256<double> v7) = Vector256.Widen(Vector256.LoadUnsafe(ref p, (nuint)(i + 24)));
                s0 += v0 * v0;
                s1 += v1 * v1;
                s2 += v2 * v2;
                s3 += v3 * v3;
                s4 += v4 * v4;
                s5 += v5 * v5;
                s6 += v6 * v6;
                s7 += v7 * v7;
            }
        }

        a.A0 = s0;
        a.A1 = s1;
        a.A2 = s2;
        a.A3 = s3;
        a.A4 = s4;
        a.A5 = s5;
        a.A6 = s6;
        a.A7 = s7;
    }

    /// <summary>Vector128 form: accumulators a0..a15 hold lanes [2j, 2j+2).</summary>
    internal static double Block128<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Acc128 a = default;
        int full = x.Length - (x.Length % Lanes);
        Accumulate128(ref MemoryMarshal.GetReference(x), full, ref a);
        if (full < x.Length)
        {
            Span<T> padded = stackalloc T[Lanes];
            padded.Clear();
            x[full..].CopyTo(padded);
            Accumulate128(ref MemoryMarshal.GetReference(padded), Lanes, ref a);
        }

        // k += k+16 (a_j + a_{j+8}), k += k+8 (b_j + b_{j+4}), k += k+4 (c_j + c_{j+2}), k += k+2 (d_0 + d_1), k+1.
        Vector128<double> b0 = a.A0 + a.A8, b1 = a.A1 + a.A9, b2 = a.A2 + a.A10, b3 = a.A3 + a.A11;
        Vector128<double> b4 = a.A4 + a.A12, b5 = a.A5 + a.A13, b6 = a.A6 + a.A14, b7 = a.A7 + a.A15;
        Vector128<double> c0 = b0 + b4, c1 = b1 + b5, c2 = b2 + b6, c3 = b3 + b7;
        Vector128<double> d = (c0 + c2) + (c1 + c3);
        return d.GetElement(0) + d.GetElement(1);
    }

    private struct Acc128
    {
        public Vector128<double> A0, A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, A13, A14, A15;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate128<T>(ref T start, int count, ref Acc128 a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Acc128 s = a;
        if (typeof(T) == typeof(double))
        {
            ref double p = ref Unsafe.As<T, double>(ref start);
            for (int i = 0; i < count; i += Lanes)
            {
                s.A0 += Square(Vector128.LoadUnsafe(ref p, (nuint)i));
                s.A1 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 2)));
                s.A2 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 4)));
                s.A3 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 6)));
                s.A4 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 8)));
                s.A5 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 10)));
                s.A6 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 12)));
                s.A7 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 14)));
                s.A8 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 16)));
                s.A9 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 18)));
                s.A10 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 20)));
                s.A11 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 22)));
                s.A12 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 24)));
                s.A13 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 26)));
                s.A14 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 28)));
                s.A15 += Square(Vector128.LoadUnsafe(ref p, (nuint)(i + 30)));
            }
        }
        else
        {
            ref float p = ref Unsafe.As<T, float>(ref start);
            for (int i = 0; i < count; i += Lanes)
            {
                (Vector128<double> v0, Vector128<double> v1) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)i));
                (Vector128<double> v2, Vector128<double> v3) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 4)));
                (Vector128<double> v4, Vector128<double> v5) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 8)));
                (Vector128<double> v6, Vector128<double> v7) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 12)));
                (Vector128<double> v8, Vector128<double> v9) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 16)));
                (Vector128<double> v10, Vector128<double> v11) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 20)));
                (Vector128<double> v12, Vector128<double> v13) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 24)));
                (Vector128<double> v14, Vector128<double> v15) = Vector128.Widen(Vector128.LoadUnsafe(ref p, (nuint)(i + 28)));
                s.A0 += Square(v0);
                s.A1 += Square(v1);
                s.A2 += Square(v2);
                s.A3 += Square(v3);
                s.A4 += Square(v4);
                s.A5 += Square(v5);
                s.A6 += Square(v6);
                s.A7 += Square(v7);
                s.A8 += Square(v8);
                s.A9 += Square(v9);
                s.A10 += Square(v10);
                s.A11 += Square(v11);
                s.A12 += Square(v12);
                s.A13 += Square(v13);
                s.A14 += Square(v14);
                s.A15 += Square(v15);
            }
        }

        a = s;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static Vector128<double> Square(Vector128<double> v) => v * v;
    }

    /// <summary>Scalar form (no SIMD): 32 double accumulators, same lanes, same fold.</summary>
    internal static double BlockScalar<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<double> lane = stackalloc double[Lanes];
        lane.Clear();
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            lane[i % Lanes] += v * v;
        }

        for (int width = Lanes / 2; width >= 1; width /= 2)
        {
            for (int k = 0; k < width; k++)
            {
                lane[k] += lane[k + width];
            }
        }

        return lane[0];
    }
}
