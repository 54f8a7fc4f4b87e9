using System;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;
using DslOptim.Tests.LinearModel;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>
/// The parallel split of <see cref="ElementwiseKernel"/>, <see cref="StatefulKernel"/> and <see cref="Reduction"/>:
/// bitwise the same on 1, 2 and 3 threads, each element through the same path (scalar peel and tail, vector body) as
/// the peel and tail rules give for the whole span, elements outside the span untouched, and proof that helper threads
/// took part. The thread count is passed to the internal overloads, so these tests neither read nor change the
/// process-wide <see cref="Parallelism.MaxThreads"/> (other test classes run at the same time).
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed unsafe class ParallelKernelTests
{
    private const int C = ParallelPasses.ChunkLength;

    /// <summary>How long two-thread calls are repeated until a helper thread ran a chunk of one (see DeterminismTests.SharingBudget).</summary>
    private static readonly TimeSpan SharingBudget = TimeSpan.FromSeconds(10);

    /// <summary>Lengths around the chunk boundaries (whatever the peel), and a long odd one.</summary>
    public static TheoryData<int> Lengths() =>
    [
        C - 1, C, C + 1, C + 15, C + 16, C + 17, C + 63, C + 64, C + 65, (2 * C) - 1, 2 * C, (2 * C) + 1, (2 * C) + 33,
        (3 * C) + 7, (8 * C) + 5, 1_000_003,
    ];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ElementwiseIsBitwiseTheSameOnOneTwoAndThreeThreads(int n)
    {
        CheckElementwise<double>(n);
        CheckElementwise<float>(n);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void StatefulIsBitwiseTheSameOnOneTwoAndThreeThreads(int n)
    {
        CheckStateful<double>(n);
        CheckStateful<float>(n);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SumOfSquaresIsBitwiseTheSameOnOneTwoAndThreeThreads(int n)
    {
        CheckReduction<double>(n, 1e-12);
        CheckReduction<float>(n, 1e-12);
    }

    [Fact]
    public void HelpersShareLongPasses()
    {
        // Whether a helper joins a given call is up to the scheduler and to other callers of the helpers: repeat
        // until one did, checking the bits every time.
        const int n = 1_000_003;
        double[] w0 = QuarterGrid<double>(n, 1), g = QuarterGrid<double>(n, 2), s0 = QuarterGrid<double>(n, 3), s1 = QuarterGrid<double>(n, 4);
        double[] w = GC.AllocateArray<double>(n, pinned: true); // one address for all runs: the peel depends on it
        w0.CopyTo(w, 0);
        double[] m1 = (double[])s0.Clone(), v1 = (double[])s1.Clone();
        var probe = default(PathProbe<double>);
        var stateProbe = default(StatePathProbe2<double>);
        ElementwiseKernel.Apply(w, g, in probe, threads: 1);
        StatefulKernel.Apply(w, g, m1, v1, default, default, in stateProbe, threads: 1);
        double sum1 = Reduction.SumOfSquares<double>(w, threads: 1);
        double[] w1 = (double[])w.Clone();

        bool elementwise = false, stateful = false, reduction = false;
        var elapsed = Stopwatch.StartNew();
        for (int attempt = 0; !(elementwise && stateful && reduction) && (attempt == 0 || elapsed.Elapsed < SharingBudget); attempt++)
        {
            w0.CopyTo(w, 0);
            double[] w2 = w, m2 = (double[])s0.Clone(), v2 = (double[])s1.Clone();
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            ElementwiseKernel.Apply(w2, g, in probe, threads: 2);
            elementwise |= ChunkWorkers.HelperItemsForCurrentThread > before;
            before = ChunkWorkers.HelperItemsForCurrentThread;
            StatefulKernel.Apply(w2, g, m2, v2, default, default, in stateProbe, threads: 2);
            stateful |= ChunkWorkers.HelperItemsForCurrentThread > before;
            before = ChunkWorkers.HelperItemsForCurrentThread;
            double sum2 = Reduction.SumOfSquares<double>(w2, threads: 2);
            reduction |= ChunkWorkers.HelperItemsForCurrentThread > before;

            Assert.True(BitEqual(w1, w2), $"w differs (attempt {attempt})");
            Assert.True(BitEqual(m1, m2) && BitEqual(v1, v2), $"a state differs (attempt {attempt})");
            Assert.Equal(BitConverter.DoubleToInt64Bits(sum1), BitConverter.DoubleToInt64Bits(sum2));
        }

        Assert.True(elementwise, $"no two-thread elementwise pass had a helper run a chunk in {SharingBudget.TotalSeconds} s");
        Assert.True(stateful, $"no two-thread stateful pass had a helper run a chunk in {SharingBudget.TotalSeconds} s");
        Assert.True(reduction, $"no two-thread sum of squares had a helper run a chunk in {SharingBudget.TotalSeconds} s");
    }

    [Fact]
    public void PublicOverloadsStayOnTheCallingThreadBelowTheThreshold()
    {
        // Below MinParallelLength the public entry points never hand work to the helpers, whatever MaxThreads is.
        int n = ParallelPasses.MinParallelLength - 1;
        float[] w = QuarterGrid<float>(n, 5), g = QuarterGrid<float>(n, 6), m = QuarterGrid<float>(n, 7), v = QuarterGrid<float>(n, 8);
        var probe = default(PathProbe<float>);
        var stateProbe = default(StatePathProbe2<float>);
        long before = ChunkWorkers.HelperItemsForCurrentThread;
        for (int i = 0; i < 20; i++)
        {
            ElementwiseKernel.Apply(w, g, in probe);
            StatefulKernel.Apply(w, g, m, v, default, default, in stateProbe);
            Assert.True(double.IsFinite(Reduction.SumOfSquares<float>(w)));
        }

        Assert.Equal(before, ChunkWorkers.HelperItemsForCurrentThread);
        Assert.Equal(1, ParallelPasses.ThreadsFor(n));
    }

    [Fact]
    public void ChunkLayoutCoversEveryElementOnceWithAlignedStarts()
    {
        // The layout itself, independently of the kernels: contiguous, in order, and every chunk after the first a
        // whole number of the widest vectors from the head.
        foreach (nuint head in new nuint[] { (nuint)C, (nuint)C + 3, (nuint)C + 15 })
        {
            foreach (nuint n in new nuint[] { head - 1, head, head + 1, head + (nuint)C, head + (nuint)C + 1, (nuint)1_000_003 })
            {
                int count = ParallelPasses.InPlaceChunkCount(n, head);
                nuint next = 0;
                for (int i = 0; i < count; i++)
                {
                    (nuint start, nuint length) = ParallelPasses.InPlaceChunk(i, n, head);
                    Assert.Equal(next, start);
                    Assert.True(length > 0 || n == 0, $"chunk {i} of {count} is empty (n = {n}, head = {head})");
                    Assert.True(i == 0 || (start - head) % (nuint)C == 0);
                    Assert.True(i == count - 1 || length == (i == 0 ? head : (nuint)C));
                    next = start + length;
                }

                Assert.Equal(n, next);
            }
        }

        Assert.Equal(0, C % (4 * 16)); // four Vector512<float>: no chunk but the last has a vector tail
    }

    private static void CheckElementwise<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int offsets = VectorCount<T>();
        T[] gAll = QuarterGrid<T>(n + offsets, 11);
        // One pinned buffer for every run: which elements take the scalar path depends on w's address.
        T[] buffer = GC.AllocateArray<T>(n + (2 * offsets), pinned: true);
        for (int offset = 0; offset < offsets; offset++)
        {
            T[] w0 = QuarterGrid<T>(n, 10 + offset);
            T[] one = Run(1), two = Run(2), three = Run(3);
            Assert.True(BitEqual(one, two), $"{typeof(T).Name} n = {n}, offset {offset}: 2 threads differ from 1");
            Assert.True(BitEqual(one, three), $"{typeof(T).Name} n = {n}, offset {offset}: 3 threads differ from 1");

            T[] Run(int threads)
            {
                // w at every offset of a larger array: the peel, hence the chunk layout, depends on the address.
                buffer.AsSpan().Fill(T.NaN);
                Span<T> w = buffer.AsSpan(offset, n);
                w0.CopyTo(w);
                var probe = default(PathProbe<T>);
                ReadOnlySpan<T> g = gAll.AsSpan(offsets - offset, n);
                fixed (T* pw = w)
                {
                    (nuint peel, nuint tail) = ScalarEnds(pw, n);
                    ElementwiseKernel.Apply(w, g, in probe, threads);
                    for (int i = 0; i < n; i++)
                    {
                        T tag = IsScalar(i, n, peel, tail) ? T.Zero : T.One;
                        T expected = (PathProbe<T>.Half * w0[i]) + g[i] + tag;
                        if (expected != w[i])
                        {
                            Assert.Fail($"{typeof(T).Name} n = {n}, offset {offset}, {threads} threads: w[{i}] = {w[i]}, expected {expected} (peel {peel}, tail {tail})");
                        }
                    }
                }

                AssertUntouched(buffer, offset, n);
                return w.ToArray();
            }
        }
    }

    private static void CheckStateful<T>(int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int offsets = VectorCount<T>();
        T[] g = QuarterGrid<T>(n, 21);
        T[] buffer = GC.AllocateArray<T>(n + (2 * offsets), pinned: true);
        for (int offset = 0; offset < offsets; offset += 3)
        {
            T[] w0 = QuarterGrid<T>(n, 20 + offset), m0 = QuarterGrid<T>(n, 22), v0 = QuarterGrid<T>(n, 23);
            var one = Run(1);
            var two = Run(2);
            var three = Run(3);
            Assert.True(BitEqual(one.W, two.W) && BitEqual(one.M, two.M) && BitEqual(one.V, two.V), $"{typeof(T).Name} n = {n}, offset {offset}: 2 threads differ from 1");
            Assert.True(BitEqual(one.W, three.W) && BitEqual(one.M, three.M) && BitEqual(one.V, three.V), $"{typeof(T).Name} n = {n}, offset {offset}: 3 threads differ from 1");

            // One state (the other three pinned to null): the same split, in the same pinned buffer.
            T[] w1 = QuarterGrid<T>(n, 24), s1 = QuarterGrid<T>(n, 25), s2 = (T[])s1.Clone();
            var probe1 = default(StatePathProbe1<T>);
            Span<T> wb = buffer.AsSpan(offset, n);
            w1.CopyTo(wb);
            StatefulKernel.Apply(wb, g, s1, default, default, default, in probe1, threads: 1);
            T[] r1 = wb.ToArray();
            w1.CopyTo(wb);
            StatefulKernel.Apply(wb, g, s2, default, default, default, in probe1, threads: 2);
            Assert.True(BitEqual(r1, wb.ToArray()) && BitEqual(s1, s2), $"{typeof(T).Name} n = {n}: one-state pass differs on 2 threads");

            (T[] W, T[] M, T[] V) Run(int threads)
            {
                buffer.AsSpan().Fill(T.NaN);
                Span<T> w = buffer.AsSpan(offset, n);
                w0.CopyTo(w);
                T[] m = (T[])m0.Clone(), v = (T[])v0.Clone();
                var probe = default(StatePathProbe2<T>);
                fixed (T* pw = w)
                {
                    (nuint peel, nuint tail) = ScalarEnds(pw, n);
                    StatefulKernel.Apply(w, g, m, v, default, default, in probe, threads);
                    for (int i = 0; i < n; i++)
                    {
                        T tag = IsScalar(i, n, peel, tail) ? T.Zero : T.One;
                        T em = (PathProbe<T>.Half * m0[i]) + g[i] + tag;
                        T ev = (PathProbe<T>.Half * v0[i]) + em + tag;
                        T ew = w0[i] - ev;
                        if (em != m[i] || ev != v[i] || ew != w[i])
                        {
                            Assert.Fail($"{typeof(T).Name} n = {n}, offset {offset}, {threads} threads: element {i} is (w, m, v) = ({w[i]}, {m[i]}, {v[i]}), expected ({ew}, {em}, {ev})");
                        }
                    }
                }

                AssertUntouched(buffer, offset, n);
                return (w.ToArray(), m, v);
            }
        }
    }

    private static void CheckReduction<T>(int n, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] data = ElementwiseKernelTests.Sample<T>(n + 8, n);
        for (int offset = 0; offset < 8; offset += 3)
        {
            ReadOnlySpan<T> x = data.AsSpan(offset, n);
            double one = Reduction.SumOfSquares(x, threads: 1);
            double two = Reduction.SumOfSquares(x, threads: 2);
            double three = Reduction.SumOfSquares(x, threads: 3);
            Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(two));
            Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(three));

            double reference = 0;
            foreach (T v in x)
            {
                double d = double.CreateTruncating(v);
                reference += d * d;
            }

            Assert.True(Math.Abs(two - reference) <= tolerance * reference, $"{typeof(T).Name} n = {n}: {two} vs the loop's {reference}");
        }
    }

    /// <summary>
    /// The scalar elements of a single pass over n elements at w, by the peel and tail rules written out here: the
    /// elements before w's first address aligned to the widest accelerated vector, and the remainder after whole vectors.
    /// </summary>
    private static (nuint Peel, nuint Tail) ScalarEnds<T>(T* w, int n)
        where T : unmanaged
    {
        nuint count = (nuint)VectorCount<T>();
        if (count == 1 || (nuint)n < count)
        {
            return ((nuint)n, 0);
        }

        nuint bytes = count * (nuint)sizeof(T);
        nuint misalignment = (nuint)w % bytes;
        nuint peel = misalignment == 0 ? 0 : (bytes - misalignment) / (nuint)sizeof(T);
        peel = Math.Min(peel, (nuint)n);
        return (peel, ((nuint)n - peel) % count);
    }

    private static bool IsScalar(int i, int n, nuint peel, nuint tail) => (nuint)i < peel || (nuint)i >= (nuint)n - tail;

    /// <summary>Lanes of the widest accelerated vector (1 without SIMD).</summary>
    private static int VectorCount<T>()
        where T : unmanaged =>
        Vector512.IsHardwareAccelerated ? Vector512<T>.Count
        : Vector256.IsHardwareAccelerated ? Vector256<T>.Count
        : Vector128.IsHardwareAccelerated ? Vector128<T>.Count
        : 1;

    /// <summary>Seeded multiples of 1/4 in [−2, 2]: the probes' sums of halves of them are exact in float.</summary>
    internal static T[] QuarterGrid<T>(int n, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = T.CreateTruncating(random.Next(-8, 9) / 4.0);
        }

        return values;
    }

    private static void AssertUntouched<T>(T[] buffer, int offset, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            if ((i < offset || i >= offset + n) && !T.IsNaN(buffer[i]))
            {
                Assert.Fail($"{typeof(T).Name} n = {n}, offset {offset}: element {i} outside the span was written");
            }
        }
    }

    private static bool BitEqual<T>(T[] a, T[] b)
        where T : unmanaged
        => MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));
}
