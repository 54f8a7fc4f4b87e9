using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using DslOptim.Kernels;

namespace DslOptim.Benchmarks;

/// <summary>
/// One full step of normalized GD on the linear model L(W) = (1/n) Σ ℓ(x_iᵀW_j − Y_ij), ℓ(r) = r²/2, in double and in
/// float, for the shapes (n, d, k) of issue #5 (plus k = 1 at the larger size) and 1 or 2 threads (the workspace's and
/// the products' <c>threads</c>):
/// <list type="bullet">
/// <item><c>Floor*</c> (the baseline of each group): one streaming read of X — a SIMD sum of X over the same 64-row
/// chunks, on the same helper threads, as the fused step; the least any full step has to do, and what a k = 1 step (two
/// flops per element of X read) is bound by;</item>
/// <item><c>Fused*</c>: the generated <c>Step(problem, w, workspace, t)</c> — G = (1/n)Xᵀℓ′(XW − Y), the loss and ‖G‖_F
/// in one pass over the rows of X, then the update;</item>
/// <item><c>Composed*</c>: R = XW by <see cref="LinearModel.Multiply{T}"/>, R ← ℓ′(R − Y)/n (and the loss) in a loop,
/// G = XᵀR by <see cref="LinearModel.MultiplyTransposed{T}"/>, then the generic <c>Step(w, g, t)</c> (which takes ‖G‖_F
/// itself) — two passes over X.</item>
/// <item><c>ReadTwice*</c> (k = 1 only; a diagnostic of the k = 1 target): each group of four rows read twice in a row
/// — four dot products with w, then the same four again, the second read coming from L2 (four rows of d = 4096 are
/// 64–128 KiB, beyond L1) — on the same chunks and threads: the memory traffic a fused k = 1 pass cannot avoid (ℓ′ of a
/// row is known only after its whole dot product, so the row is needed again for x_i ℓ′_i), without its stores, ℓ′ or
/// combine.</item>
/// </list>
/// The Ratio column is time / floor: fused/floor is the k = 1 target (≤ 1.25), fused/composed the ratio of two ratios.
/// Groups: <c>--anyCategories LinearDouble</c> (or <c>LinearFloat</c>), or <c>--filter '*LinearModelBenchmarks.*Double*'</c>.
/// X is 16 MiB (double) for n = 512, d = 4096 (it fits this machine's 32 MiB L3) and 128 MiB for n = 2048, d = 8192
/// (it does not). k = 1 at both sizes (the k = 1 target: in L3 and from memory). 56 cases; iterations of 250 ms
/// keep the class near 3–4 minutes with <c>--job short</c>.
/// </summary>
[IterationTime(250)]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class LinearModelBenchmarks
{
    private const long T = 1;

    private readonly LinearNormalizedGd _optimizer = new();

    private Data<double> _double = null!;
    private Data<float> _float = null!;

    /// <summary>The shapes (n, d, k) benchmarked.</summary>
    public static IEnumerable<Shape> Shapes() => [new(512, 4096, 1), new(2048, 8192, 1), new(512, 4096, 16), new(2048, 8192, 10)];

    [ParamsSource(nameof(Shapes))]
    public Shape Size { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup(Targets = [nameof(FloorDouble), nameof(FusedDouble), nameof(ComposedDouble), nameof(ReadTwiceDouble)])]
    public void SetupDouble() => _double = new Data<double>(Size, Threads);

    [GlobalSetup(Targets = [nameof(FloorFloat), nameof(FusedFloat), nameof(ComposedFloat), nameof(ReadTwiceFloat)])]
    public void SetupFloat() => _float = new Data<float>(Size, Threads);

    /// <summary>One streaming read of X (double).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("LinearDouble")]
    public double FloorDouble() => _double.Floor();

    /// <summary>The generated fused full step (double).</summary>
    [Benchmark, BenchmarkCategory("LinearDouble")]
    public double FusedDouble() => _optimizer.Step(_double.Problem, _double.W, _double.Workspace, T).Loss;

    /// <summary>Two products and a residual loop, then the generic step (double).</summary>
    [Benchmark, BenchmarkCategory("LinearDouble")]
    public double ComposedDouble()
    {
        var data = _double;
        var loss = data.Composed();
        _optimizer.Step(data.W, data.G, T);
        return loss;
    }

    /// <summary>Each 4-row group of X read twice in a row (double, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearDouble")]
    public double ReadTwiceDouble() => _double.ReadTwice();

    /// <summary>One streaming read of X (float).</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("LinearFloat")]
    public double FloorFloat() => _float.Floor();

    /// <summary>The generated fused full step (float).</summary>
    [Benchmark, BenchmarkCategory("LinearFloat")]
    public double FusedFloat() => _optimizer.Step(_float.Problem, _float.W, _float.Workspace, T).Loss;

    /// <summary>Two products and a residual loop, then the generic step (float).</summary>
    [Benchmark, BenchmarkCategory("LinearFloat")]
    public double ComposedFloat()
    {
        var data = _float;
        var loss = data.Composed();
        _optimizer.Step(data.W, data.G, T);
        return loss;
    }

    /// <summary>Each 4-row group of X read twice in a row (float, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearFloat")]
    public double ReadTwiceFloat() => _float.ReadTwice();

    /// <summary>A problem shape: n rows of X, d features, k outputs.</summary>
    public sealed record Shape(int N, int D, int K)
    {
        public override string ToString() => $"{N}x{D}x{K}";
    }

    /// <summary>Runs the ReadTwice diagnostics for k = 1 only; allows a slow build of the boilerplate on a loaded machine.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddFilter(new SimpleFilter(benchmark =>
                !benchmark.Descriptor.WorkloadMethod.Name.StartsWith("ReadTwice", StringComparison.Ordinal)
                || benchmark.Parameters[nameof(Size)] is Shape { K: 1 }));
            WithBuildTimeout(TimeSpan.FromMinutes(10));
        }
    }

    /// <summary>The problem, the buffers of both forms of the step, and the floor's chunked sum.</summary>
    private sealed class Data<TElement> : IChunkJob
        where TElement : unmanaged, IFloatingPointIeee754<TElement>
    {
        private readonly TElement[] _x;
        private readonly TElement[] _y;
        private readonly TElement[] _r;
        private readonly double[] _chunkSums;
        private readonly int _n;
        private readonly int _d;
        private readonly int _k;
        private readonly int _threads;
        private bool _twice;

        public Data(Shape size, int threads)
        {
            (_n, _d, _k) = (size.N, size.D, size.K);
            _threads = threads;
            var random = new Random(42);
            _x = new TElement[(long)_n * _d];
            for (var i = 0; i < _x.Length; i++)
            {
                _x[i] = TElement.CreateTruncating(random.NextDouble() - 0.5);
            }
            _y = new TElement[_n * _k];
            for (var i = 0; i < _y.Length; i++)
            {
                _y[i] = TElement.CreateTruncating(random.NextDouble() - 0.5);
            }
            W = new TElement[_d * _k];
            for (var i = 0; i < W.Length; i++)
            {
                W[i] = TElement.CreateTruncating(0.01 * (random.NextDouble() - 0.5));
            }
            _r = new TElement[_n * _k];
            G = new TElement[_d * _k];
            _chunkSums = new double[LinearModel.ChunkCount(_n)];
            Problem = new LinearProblem<TElement>(_x, _n, _d, _y, _k);
            Workspace = new LinearWorkspace<TElement>(Problem, threads);
        }

        public LinearProblem<TElement> Problem { get; }

        public LinearWorkspace<TElement> Workspace { get; }

        public TElement[] W { get; }

        public TElement[] G { get; }

        /// <summary>Σ X over 64-row chunks on the fused step's helper threads, the chunk sums added in order.</summary>
        public double Floor() => RunChunks(twice: false);

        /// <summary>Each 4-row group of each chunk read twice (four dot products with W, twice), chunks as in <see cref="Floor"/>.</summary>
        public double ReadTwice() => RunChunks(twice: true);

        private double RunChunks(bool twice)
        {
            _twice = twice;
            ChunkWorkers.Run(this, _chunkSums.Length, _threads);
            var sum = 0.0;
            foreach (var part in _chunkSums)
            {
                sum += part;
            }
            return sum;
        }

        /// <summary>R = XW, R ← ℓ′(R − Y)/n with the loss, G = XᵀR; returns the loss.</summary>
        public double Composed()
        {
            LinearModel.Multiply<TElement>(_x, _n, _d, W, _k, _r, _threads);
            var r = _r;
            var y = _y;
            var count = TElement.CreateTruncating(_n);
            var loss = 0.0;
            for (var e = 0; e < r.Length; e++)
            {
                var residual = r[e] - y[e];
                loss += double.CreateTruncating(residual * residual) * 0.5;
                r[e] = residual / count;
            }
            LinearModel.MultiplyTransposed<TElement>(_x, _n, _d, _r, _k, G, _threads);
            return loss / _n;
        }

        /// <summary>The work item: the sum of one chunk of rows of X, or its rows read twice four at a time.</summary>
        public void Run(int index)
        {
            var first = index * LinearModel.RowChunk;
            var rows = Math.Min(_n, first + LinearModel.RowChunk) - first;
            var chunk = _x.AsSpan(first * _d, rows * _d);
            if (!_twice)
            {
                _chunkSums[index] = Sum(chunk);
                return;
            }
            var total = 0.0;
            for (var i = 0; i + 4 <= rows; i += 4)
            {
                var group = chunk.Slice(i * _d, 4 * _d);
                total += Dot4(group, _d, W);
                total += Dot4(group, _d, W);
            }
            _chunkSums[index] = total;
        }

        /// <summary>Σ_q x_q·w over four rows of length d (k = 1: W is one column), one accumulator per row.</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static double Dot4(ReadOnlySpan<TElement> rows, int d, ReadOnlySpan<TElement> w)
        {
            ref var x = ref MemoryMarshal.GetReference(rows);
            ref var v = ref MemoryMarshal.GetReference(w);
            var width = Vector256<TElement>.Count;
            Vector256<TElement> a = default, b = default, c = default, e = default;
            for (var p = 0; p <= d - width; p += width)
            {
                var wp = Vector256.LoadUnsafe(ref v, (nuint)p);
                a += Vector256.LoadUnsafe(ref x, (nuint)p) * wp;
                b += Vector256.LoadUnsafe(ref x, (nuint)(d + p)) * wp;
                c += Vector256.LoadUnsafe(ref x, (nuint)((2 * d) + p)) * wp;
                e += Vector256.LoadUnsafe(ref x, (nuint)((3 * d) + p)) * wp;
            }
            return double.CreateTruncating(Vector256.Sum((a + b) + (c + e)));
        }

        /// <summary>A SIMD sum at the widest accelerated width, four accumulators (enough to stream at the memory's pace).</summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static double Sum(ReadOnlySpan<TElement> values)
        {
            ref var start = ref MemoryMarshal.GetReference(values);
            var total = TElement.Zero;
            var i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var width = Vector512<TElement>.Count;
                Vector512<TElement> a = default, b = default, c = default, d = default;
                for (; i <= values.Length - (4 * width); i += 4 * width)
                {
                    a += Vector512.LoadUnsafe(ref start, (nuint)i);
                    b += Vector512.LoadUnsafe(ref start, (nuint)(i + width));
                    c += Vector512.LoadUnsafe(ref start, (nuint)(i + (2 * width)));
                    d += Vector512.LoadUnsafe(ref start, (nuint)(i + (3 * width)));
                }
                total = Vector512.Sum((a + b) + (c + d));
            }
            else
            {
                var width = Vector256<TElement>.Count;
                Vector256<TElement> a = default, b = default, c = default, d = default;
                for (; i <= values.Length - (4 * width); i += 4 * width)
                {
                    a += Vector256.LoadUnsafe(ref start, (nuint)i);
                    b += Vector256.LoadUnsafe(ref start, (nuint)(i + width));
                    c += Vector256.LoadUnsafe(ref start, (nuint)(i + (2 * width)));
                    d += Vector256.LoadUnsafe(ref start, (nuint)(i + (3 * width)));
                }
                total = Vector256.Sum((a + b) + (c + d));
            }
            for (; i < values.Length; i++)
            {
                total += values[i];
            }
            return double.CreateTruncating(total);
        }
    }
}
