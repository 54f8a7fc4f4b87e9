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
[Collection(WorkersCollection.Name)]
public sealed class ConcurrencyStressTests
{
    private const int Callers = 4;

    /// <summary>Calls per caller, at least (each one a gradient, or a product and a transposed product).</summary>
    private const int Iterations = 300;

    /// <summary>Beyond <see cref="Iterations"/>, calls go on until the helpers have run items of several callers' jobs, within this budget.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);

    [Fact]
    public void ConcurrentGradientsAndProductsOnManyThreadsGetTheSingleThreadedResults()
    {
        // Different shapes on purpose: k = 1 (axpy), k = 3 (4-row tiles), k = 40 (chunk products), float and double.
        var cases = new Func<ICase>[]
        {
            () => new GradientCase<double, PseudoHuberLoss<double>>(1000, 300, 1, new PseudoHuberLoss<double>(0.5), seed: 11),
            () => new GradientCase<float, SquaredLoss<float>>(1000, 300, 1, default, seed: 12),
            () => new GradientCase<double, SquaredLoss<double>>(1003, 301, 3, default, seed: 13),
            () => new GradientCase<double, PseudoHuberLoss<double>>(700, 130, 40, new PseudoHuberLoss<double>(1.5), seed: 14),
            () => new ProductCase(1000, 300, 1, seed: 15),
            () => new ProductCase(1000, 300, 3, seed: 16),
            () => new ProductCase(200, 300, 40, seed: 17),
        };

        // Each caller runs every case, starting at a different one, with its own data and workspaces.
        var perCaller = Enumerable.Range(0, Callers).Select(_ => cases.Select(make => make()).ToArray()).ToArray();
        var failures = new ConcurrentQueue<string>();
        var helperItems = new long[Callers];
        var calls = new int[Callers];
        using var start = new Barrier(Callers);
        var elapsed = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, Callers).Select(c => new Thread(() =>
        {
            ICase[] mine = perCaller[c];
            long before = ChunkWorkers.HelperItemsForCurrentThread;
            start.SignalAndWait();
            int i = 0;
            for (; failures.IsEmpty && elapsed.Elapsed < Budget; i++)
            {
                if (i >= Iterations && SharedCallers(helperItems) >= 2)
                {
                    break;
                }

                ICase test = mine[(i + c) % mine.Length];
                string? error = test.RunAndCheck();
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
        /// <summary>Runs the two-thread call once; null if it matched the single-threaded result bit for bit.</summary>
        string? RunAndCheck();
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
        private readonly LinearWorkspace<T> _workspace;
        private readonly string _name;

        public GradientCase(int n, int d, int k, TLoss loss, int seed)
        {
            (_problem, _w) = LinearData.Problem<T>(n, d, k, seed);
            _loss = loss;
            var one = new LinearWorkspace<T>(_problem, threads: 1);
            _expected = Model.Gradient(_problem, _w, one, _loss);
            _expectedGradient = one.Gradient.ToArray();
            _workspace = new LinearWorkspace<T>(_problem, threads: 2);
            _name = $"gradient {typeof(T).Name} {n}×{d}×{k}";
        }

        public string? RunAndCheck()
        {
            _workspace.Gradient.Fill(T.NaN);
            var actual = Model.Gradient(_problem, _w, _workspace, _loss);
            if (BitConverter.DoubleToInt64Bits(actual.Loss) != BitConverter.DoubleToInt64Bits(_expected.Loss))
            {
                return $"{_name}: loss {actual.Loss:R} instead of {_expected.Loss:R}";
            }

            if (BitConverter.DoubleToInt64Bits(actual.GradientSquaredNorm) != BitConverter.DoubleToInt64Bits(_expected.GradientSquaredNorm))
            {
                return $"{_name}: ‖G‖² {actual.GradientSquaredNorm:R} instead of {_expected.GradientSquaredNorm:R}";
            }

            return LinearData.BitwiseEqual<T>(_expectedGradient, _workspace.Gradient) ? null : $"{_name}: gradient differs";
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
        private readonly double[] _c;
        private readonly double[] _ct;

        public ProductCase(int rows, int inner, int cols, int seed)
        {
            (_rows, _inner, _cols) = (rows, inner, cols);
            _a = LinearData.Uniform(rows * inner, seed);
            _b = LinearData.Uniform(inner * cols, seed + 1);
            _bt = LinearData.Uniform(rows * cols, seed + 2);
            _expected = new double[rows * cols];
            _expectedTransposed = new double[inner * cols];
            Model.Multiply<double>(_a, rows, inner, _b, cols, _expected, threads: 1);
            Model.MultiplyTransposed<double>(_a, rows, inner, _bt, cols, _expectedTransposed, threads: 1);
            _c = new double[rows * cols];
            _ct = new double[inner * cols];
        }

        public string? RunAndCheck()
        {
            _c.AsSpan().Fill(double.NaN);
            _ct.AsSpan().Fill(double.NaN);
            Model.Multiply<double>(_a, _rows, _inner, _b, _cols, _c, threads: 2);
            Model.MultiplyTransposed<double>(_a, _rows, _inner, _bt, _cols, _ct, threads: 2);
            if (!LinearData.BitwiseEqual<double>(_expected, _c))
            {
                return $"A·B {_rows}×{_inner}×{_cols} differs";
            }

            return LinearData.BitwiseEqual<double>(_expectedTransposed, _ct) ? null : $"Aᵀ·B {_rows}×{_inner}×{_cols} differs";
        }
    }
}
