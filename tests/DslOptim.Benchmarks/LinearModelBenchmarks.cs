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
/// <item><c>ReadTwice*</c> (k = 1 only; a diagnostic of the k = 1 target): each group of four rows summed twice in a row
/// by the floor's own kernel (the group is contiguous, 4·d elements), the second read coming from L2 (four rows of
/// d = 4096 are 64–128 KiB, beyond L1), on the same chunks and threads — the least a pass that needs each row twice
/// can cost: ℓ′ of a row is known only after its whole dot product, so the row is needed again for x_i ℓ′_i;</item>
/// <item><c>DotTwice*</c> (k = 1 only): each group's four dot products with w computed twice by the fused pass's own
/// kernel (<c>RowKernels.Dot4x1</c> at the widest accelerated width): the fused pass's reads, without the gradient's
/// read-modify-write, ℓ′ or the combine;</item>
/// <item><c>ComputeFloor*</c> (k = 1 only): the fused pass's work on cache-resident data — per 4-row group the pass's
/// own kernels (<c>RowKernels.Dot4x1</c>, s = (r − y)/n, <c>RowKernels.Update4x1</c> into the chunk's partial
/// gradient), every group of a chunk reading the chunk's first four rows, which therefore stay in L1/L2: what the pass
/// costs besides fetching X from memory.</item>
/// </list>
/// The Ratio column is time / floor: fused/floor is the k = 1 target (≤ 1.25), fused/composed the ratio of two ratios.
/// Groups: <c>--anyCategories LinearDouble</c> (or <c>LinearFloat</c>), or <c>--filter '*LinearModelBenchmarks.*Double*'</c>.
/// X is 16 MiB (double) for n = 512, d = 4096 (it fits this machine's 32 MiB L3) and 128 MiB for n = 2048, d = 8192
/// (it does not). k = 1 at both sizes (the k = 1 target: in L3 and from memory). 72 cases (the k = 1
/// diagnostics are measured for the targets by <c>--paired-linear</c>, <see cref="LinearPairedRatios"/>).
/// </summary>
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

    [GlobalSetup(Targets = [nameof(FloorDouble), nameof(FusedDouble), nameof(ComposedDouble), nameof(ReadTwiceDouble), nameof(DotTwiceDouble), nameof(ComputeFloorDouble)])]
    public void SetupDouble() => _double = new Data<double>(Size, Threads);

    [GlobalSetup(Targets = [nameof(FloorFloat), nameof(FusedFloat), nameof(ComposedFloat), nameof(ReadTwiceFloat), nameof(DotTwiceFloat), nameof(ComputeFloorFloat)])]
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

    /// <summary>Each 4-row group of X summed twice in a row (double, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearDouble")]
    public double ReadTwiceDouble() => _double.ReadTwice();

    /// <summary>Each 4-row group's dot products with w computed twice by the fused pass's kernel (double, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearDouble")]
    public double DotTwiceDouble() => _double.DotTwice();

    /// <summary>The fused pass's kernels on cache-resident rows (double, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearDouble")]
    public double ComputeFloorDouble() => _double.ComputeFloor();

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

    /// <summary>Each 4-row group of X summed twice in a row (float, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearFloat")]
    public double ReadTwiceFloat() => _float.ReadTwice();

    /// <summary>Each 4-row group's dot products with w computed twice by the fused pass's kernel (float, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearFloat")]
    public double DotTwiceFloat() => _float.DotTwice();

    /// <summary>The fused pass's kernels on cache-resident rows (float, k = 1 only).</summary>
    [Benchmark, BenchmarkCategory("LinearFloat")]
    public double ComputeFloorFloat() => _float.ComputeFloor();

    /// <summary>A problem shape: n rows of X, d features, k outputs.</summary>
    public sealed record Shape(int N, int D, int K)
    {
        public override string ToString() => $"{N}x{D}x{K}";
    }

    /// <summary>Whether a method is one of the k = 1 diagnostics (<c>ReadTwice*</c>, <c>DotTwice*</c>, <c>ComputeFloor*</c>), run for k = 1 only.</summary>
    internal static bool IsSingleOutputDiagnostic(string method) =>
        method.StartsWith("ReadTwice", StringComparison.Ordinal) || method.StartsWith("DotTwice", StringComparison.Ordinal)
        || method.StartsWith("ComputeFloor", StringComparison.Ordinal);

    /// <summary>Runs the k = 1 diagnostics for k = 1 only; allows a slow build of the boilerplate on a loaded machine.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddFilter(new SimpleFilter(benchmark =>
                !IsSingleOutputDiagnostic(benchmark.Descriptor.WorkloadMethod.Name)
                || benchmark.Parameters[nameof(Size)] is Shape { K: 1 }));
            WithBuildTimeout(TimeSpan.FromMinutes(10));
        }
    }

    /// <summary>What a chunk job of <see cref="Data{TElement}"/> does with each chunk.</summary>
    private enum Pass
    {
        /// <summary>One sum of the chunk (the floor).</summary>
        Once,

        /// <summary>Each 4-row group summed twice.</summary>
        SumTwice,

        /// <summary>Each 4-row group's dot products with w, twice.</summary>
        DotTwice,

        /// <summary>The fused pass's kernels, every group reading the chunk's first four rows.</summary>
        ComputeFloor,
    }

    /// <summary>The problem, the buffers of both forms of the step, and the floor's chunked sum.</summary>
    private sealed class Data<TElement> : IChunkJob
        where TElement : unmanaged, IFloatingPointIeee754<TElement>
    {
        private readonly TElement[] _x;
        private readonly TElement[] _y;
        private readonly TElement[] _r;
        private readonly double[] _chunkSums;
        private readonly TElement[][] _partials;
        private readonly int _n;
        private readonly int _d;
        private readonly int _k;
        private readonly int _threads;
        private Pass _pass;

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
            // Per-chunk partial gradients for ComputeFloor, a k = 1 diagnostic only.
            _partials = new TElement[_k == 1 ? _chunkSums.Length : 0][];
            for (var c = 0; c < _partials.Length; c++)
            {
                _partials[c] = new TElement[_d];
            }
            Problem = new LinearProblem<TElement>(_x, _n, _d, _y, _k);
            Workspace = new LinearWorkspace<TElement>(Problem, threads);
        }

        public LinearProblem<TElement> Problem { get; }

        public LinearWorkspace<TElement> Workspace { get; }

        public TElement[] W { get; }

        public TElement[] G { get; }

        /// <summary>Σ X over 64-row chunks on the fused step's helper threads, the chunk sums added in order.</summary>
        public double Floor() => RunChunks(Pass.Once);

        /// <summary>Each 4-row group of each chunk summed twice (the floor's kernel), chunks as in <see cref="Floor"/>.</summary>
        public double ReadTwice() => RunChunks(Pass.SumTwice);

        /// <summary>Each 4-row group's dot products with W computed twice by the fused pass's kernel, chunks as in <see cref="Floor"/>.</summary>
        public double DotTwice() => RunChunks(Pass.DotTwice);

        /// <summary>The fused pass's kernels on the first 4-row group of each chunk, once per group, chunks as in <see cref="Floor"/>.</summary>
        public double ComputeFloor() => RunChunks(Pass.ComputeFloor);

        private double RunChunks(Pass pass)
        {
            _pass = pass;
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

        /// <summary>The work item: the sum of one chunk of rows of X, or its 4-row groups read twice.</summary>
        public void Run(int index)
        {
            var first = index * LinearModel.RowChunk;
            var rows = Math.Min(_n, first + LinearModel.RowChunk) - first;
            var chunk = _x.AsSpan(first * _d, rows * _d);
            if (_pass == Pass.Once)
            {
                _chunkSums[index] = Sum(chunk);
                return;
            }
            if (_pass == Pass.ComputeFloor)
            {
                _chunkSums[index] = ResidentPass(chunk, rows, _y.AsSpan(first), index);
                return;
            }
            var total = 0.0;
            for (var i = 0; i + 4 <= rows; i += 4)
            {
                var group = chunk.Slice(i * _d, 4 * _d);
                if (_pass == Pass.SumTwice)
                {
                    total += Sum(group);
                    total += Sum(group);
                }
                else
                {
                    total += Dot4(group, _d, W);
                    total += Dot4(group, _d, W);
                }
            }
            _chunkSums[index] = total;
        }

        /// <summary>
        /// For each 4-row group of the chunk, the fused pass's arithmetic on the chunk's first group: r = x_qᵀw, s = (r − y)/n
        /// (ℓ′ of r²/2), g += Σ_q s_q x_q into this chunk's partial gradient; returns Σ s.
        /// </summary>
        private unsafe double ResidentPass(ReadOnlySpan<TElement> chunk, int rows, ReadOnlySpan<TElement> y, int index)
        {
            var partial = _partials[index];
            Array.Clear(partial);
            var s = stackalloc TElement[4];
            var count = TElement.CreateTruncating(_n);
            var total = 0.0;
            fixed (TElement* x = chunk)
            fixed (TElement* v = W)
            fixed (TElement* g = partial)
            {
                for (var i = 0; i + 4 <= rows; i += 4)
                {
                    Dot4(x, _d, v, s);
                    for (var q = 0; q < 4; q++)
                    {
                        s[q] = (s[q] - y[q]) / count;
                        total += double.CreateTruncating(s[q]);
                    }
                    Update4(x, _d, s, g);
                }
            }
            return total;
        }

        /// <summary>Σ_q x_q·w over four rows of length d (k = 1: W is one column) by the fused pass's own kernel.</summary>
        private static unsafe double Dot4(ReadOnlySpan<TElement> rows, int d, TElement[] w)
        {
            var r = stackalloc TElement[4];
            fixed (TElement* x = rows)
            fixed (TElement* v = w)
            {
                Dot4(x, d, v, r);
            }
            return double.CreateTruncating((r[0] + r[1]) + (r[2] + r[3]));
        }

        /// <summary>r_q = x_q·w for the four rows at x (stride d), by <c>RowKernels.Dot4x1</c> at the fused pass's width.</summary>
        private static unsafe void Dot4(TElement* x, int d, TElement* w, TElement* r)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                RowKernels.Dot4x1<TElement, Vector512<TElement>, Simd512<TElement>>(x, d, w, d, r, 1);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                RowKernels.Dot4x1<TElement, Vector256<TElement>, Simd256<TElement>>(x, d, w, d, r, 1);
            }
            else
            {
                RowKernels.Dot4x1<TElement, Vector128<TElement>, Simd128<TElement>>(x, d, w, d, r, 1);
            }
        }

        /// <summary>g += Σ_q s_q x_q for the four rows at x (stride d), by <c>RowKernels.Update4x1</c> at the fused pass's width.</summary>
        private static unsafe void Update4(TElement* x, int d, TElement* s, TElement* g)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                RowKernels.Update4x1<TElement, Vector512<TElement>, Simd512<TElement>>(x, d, s, 1, g, d);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                RowKernels.Update4x1<TElement, Vector256<TElement>, Simd256<TElement>>(x, d, s, 1, g, d);
            }
            else
            {
                RowKernels.Update4x1<TElement, Vector128<TElement>, Simd128<TElement>>(x, d, s, 1, g, d);
            }
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
