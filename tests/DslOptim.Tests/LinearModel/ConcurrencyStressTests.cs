using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Threading;
using DslOptim.Kernels;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>
/// Several threads hammer the gradient and the products at once, on different problems and workspaces, so that
/// callers keep arriving and finishing while the shared helpers run another caller's job (the one-job-at-a-time
/// handoff, the inline fallback, per-workspace jobs and per-thread product scratch, all under contention). Every call
/// must return its own single-threaded result, bit for bit, and the helpers must have run part of several callers'
/// jobs (so the parallel path was exercised, not only the inline one). The callers are dedicated threads, not pool
/// tasks: they start together on a barrier.
/// </summary>
/// <remarks>
/// The inputs and expected results are shared by the callers (read-only); each caller has its own workspaces and
/// outputs. The arrays are kept small: large ones would trigger garbage collections that disturb the allocation
/// measurements of test classes running at the same time.
/// </remarks>
[Collection(WorkersCollection.Name)]
public sealed class ConcurrencyStressTests
{
    private const int Callers = 4;

    /// <summary>Calls per caller, at least (each one a gradient, or a product and a transposed product).</summary>
    private const int Iterations = 2000;

    /// <summary>Beyond <see cref="Iterations"/>, calls go on until the helpers have run items of several callers' jobs, within this budget.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);

    [Fact]
    public void ConcurrentGradientsAndProductsOnManyThreadsGetTheSingleThreadedResults()
    {
        // Different shapes on purpose: k = 1 (axpy), k = 3 with a ragged last chunk (4-row tiles and the row tail),
        // k = 40 (chunk products), float and double; narrow and wide products. Each has several work items and
        // enough work to be shared (see LinearModel.ParallelWork).
        var cases = new ICase[]
        {
            new GradientCase<double, PseudoHuberLoss<double>>(640, 100, 1, new PseudoHuberLoss<double>(0.5), seed: 11),
            new GradientCase<float, SquaredLoss<float>>(640, 100, 1, default, seed: 12),
            new GradientCase<double, SquaredLoss<double>>(643, 101, 3, default, seed: 13),
            new GradientCase<double, PseudoHuberLoss<double>>(300, 60, 40, new PseudoHuberLoss<double>(1.5), seed: 14),
            new ProductCase(640, 100, 1, seed: 15),
            new ProductCase(640, 100, 3, seed: 16),
            new ProductCase(200, 100, 40, seed: 17),
        };

        // Each caller runs every case, starting at a different one, with its own workspaces and outputs.
        var perCaller = Enumerable.Range(0, Callers).Select(_ => cases.Select(test => test.ForCaller()).ToArray()).ToArray();
        var failures = new ConcurrentQueue<string>();
        var helperItems = new long[Callers];
        var calls = new int[Callers];
        using var start = new Barrier(Callers);
        var elapsed = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, Callers).Select(c => new Thread(() =>
        {
            Func<string?>[] mine = perCaller[c];
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            start.SignalAndWait();
            int i = 0;
            for (; failures.IsEmpty && elapsed.Elapsed < Budget; i++)
            {
                if (i >= Iterations && SharedCallers(helperItems) >= 2)
                {
                    break;
                }

                string? error = mine[(i + c) % mine.Length]();
                if (error is not null)
                {
                    failures.Enqueue($"caller {c}, call {i}: {error}");
                }

                Volatile.Write(ref helperItems[c], ChunkWorkers.HelperItemsForCurrentThread - before);
            }

            calls[c] = i;
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        Assert.True(failures.IsEmpty, string.Join(Environment.NewLine, failures.Take(5)));
        Assert.True(
            SharedCallers(helperItems) >= 2,
            $"the helpers ran items of fewer than two callers' jobs: calls {string.Join(", ", calls)}, helper items {string.Join(", ", helperItems)}");

        static int SharedCallers(long[] items)
        {
            int shared = 0;
            for (int c = 0; c < items.Length; c++)
            {
                shared += Volatile.Read(ref items[c]) > 0 ? 1 : 0;
            }

            return shared;
        }
    }

    private interface ICase
    {
        /// <summary>
        /// A runner for one caller, with its own workspace and outputs: it makes the two-thread call once and returns
        /// null if the result matched the single-threaded one bit for bit, else what differed.
        /// </summary>
        Func<string?> ForCaller();
    }

    private sealed class GradientCase<T, TLoss> : ICase
        where T : unmanaged, IFloatingPointIeee754<T>
        where TLoss : struct, ILossOperator<T>
    {
        private readonly LinearProblem<T> _problem;
        private readonly T[] _w;
        private readonly TLoss _loss;
        private readonly (double Loss, double GradientSquaredNorm) _expected;
        private readonly T[] _expectedGradient;
        private readonly string _name;

        public GradientCase(int n, int d, int k, TLoss loss, int seed)
        {
            (_problem, _w) = LinearData.Problem<T>(n, d, k, seed);
            Assert.True(Model.ChunkCount(n) > 1 && (long)n * d * k >= Model.ParallelWork, "the case must be shared");
            _loss = loss;
            var one = new LinearWorkspace<T>(_problem, threads: 1);
            _expected = Model.Gradient(_problem, _w, one, _loss);
            _expectedGradient = one.Gradient.ToArray();
            _name = $"gradient {typeof(T).Name} {n}×{d}×{k}";
        }

        public Func<string?> ForCaller()
        {
            var workspace = new LinearWorkspace<T>(_problem, threads: 2);
            return () =>
            {
                workspace.Gradient.Fill(T.NaN);
                var actual = Model.Gradient(_problem, _w, workspace, _loss);
                if (BitConverter.DoubleToInt64Bits(actual.Loss) != BitConverter.DoubleToInt64Bits(_expected.Loss))
                {
                    return $"{_name}: loss {actual.Loss:R} instead of {_expected.Loss:R}";
                }

                if (BitConverter.DoubleToInt64Bits(actual.GradientSquaredNorm) != BitConverter.DoubleToInt64Bits(_expected.GradientSquaredNorm))
                {
                    return $"{_name}: ‖G‖² {actual.GradientSquaredNorm:R} instead of {_expected.GradientSquaredNorm:R}";
                }

                return LinearData.BitwiseEqual<T>(_expectedGradient, workspace.Gradient) ? null : $"{_name}: gradient differs";
            };
        }
    }

    private sealed class ProductCase : ICase
    {
        private readonly double[] _a;
        private readonly double[] _b;
        private readonly double[] _bt;
        private readonly int _rows;
        private readonly int _inner;
        private readonly int _cols;
        private readonly double[] _expected;
        private readonly double[] _expectedTransposed;

        public ProductCase(int rows, int inner, int cols, int seed)
        {
            (_rows, _inner, _cols) = (rows, inner, cols);
            Assert.True((long)rows * inner * cols >= Model.ParallelWork, "the case must be shared");
            _a = LinearData.Uniform(rows * inner, seed);
            _b = LinearData.Uniform(inner * cols, seed + 1);
            _bt = LinearData.Uniform(rows * cols, seed + 2);
            _expected = new double[rows * cols];
            _expectedTransposed = new double[inner * cols];
            Model.Multiply<double>(_a, rows, inner, _b, cols, _expected, threads: 1);
            Model.MultiplyTransposed<double>(_a, rows, inner, _bt, cols, _expectedTransposed, threads: 1);
        }

        public Func<string?> ForCaller()
        {
            var c = new double[_rows * _cols];
            var ct = new double[_inner * _cols];
            return () =>
            {
                c.AsSpan().Fill(double.NaN);
                ct.AsSpan().Fill(double.NaN);
                Model.Multiply<double>(_a, _rows, _inner, _b, _cols, c, threads: 2);
                Model.MultiplyTransposed<double>(_a, _rows, _inner, _bt, _cols, ct, threads: 2);
                if (!LinearData.BitwiseEqual<double>(_expected, c))
                {
                    return $"A·B {_rows}×{_inner}×{_cols} differs";
                }

                return LinearData.BitwiseEqual<double>(_expectedTransposed, ct) ? null : $"Aᵀ·B {_rows}×{_inner}×{_cols} differs";
            };
        }
    }
}
