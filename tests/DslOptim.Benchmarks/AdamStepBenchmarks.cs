using System;
using System.Numerics;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using DslOptim.Kernels;
using DslOptim.Optimizers;

namespace DslOptim.Benchmarks;

/// <summary>
/// Stateful Adam (<see cref="Adam"/>, torch's formula: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// w ← w − η·m̂/(√v̂ + ε)), which reads w, g, m, v and writes w, m, v in one pass (issue #7's speed target), beside its
/// floor (m ← m + g, v ← v + g, w ← w + g through <see cref="StatefulKernel"/>) and the hand-written references.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[GenericTypeArguments(typeof(float))]
[GenericTypeArguments(typeof(double))]
[Config(typeof(StepConfig))]
[BenchmarkCategory("Steps", "Adam")]
[CategoriesColumn]
[MedianColumn]
[MinColumn]
[MaxColumn]
public class AdamStepBenchmarks<T> : StepBenchmarkBase<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Adam _adam = new() { Lr = 1e-4 };
    private Adam.State<T> _state = null!;
    private Adam.State<T> _blockState = null!;
    private readonly T[] _blockW = new T[TileLength];
    private readonly T[] _blockG = new T[TileLength];

    /// <summary>The state, m small and v small and positive, as after a few steps.</summary>
    protected override void AfterSetup()
    {
        _state = _adam.CreateState<T>(N);
        var random = new Random(7);
        Span<T> m = _state.M, v = _state.V;
        for (int i = 0; i < N; i++)
        {
            m[i] = C(0.01 * (random.NextDouble() - 0.5));
            v[i] = C(1e-4 * random.NextDouble());
        }

        // The compute floor's block: the first elements of w, g and the state.
        _blockState = _adam.CreateState<T>(TileLength);
        W.AsSpan(0, TileLength).CopyTo(_blockW);
        G.AsSpan(0, TileLength).CopyTo(_blockG);
        m[..TileLength].CopyTo(_blockState.M);
        v[..TileLength].CopyTo(_blockState.V);
    }

    /// <summary>m ← m + g, v ← v + g, w ← w + g through <see cref="StatefulKernel"/>: the access pattern's floor.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Floor")]
    public void Floor() => StatefulKernel.Apply(W.AsSpan(), G, _state.M, _state.V, default, default, default(AdamFloor<T>));

    /// <summary>The generated fused Step of <see cref="Adam"/>.</summary>
    [Benchmark, BenchmarkCategory("Kernel")]
    public void AdamKernel()
    {
        if (typeof(T) == typeof(double))
        {
            _adam.Step(AsDouble(W), AsDouble(G), (Adam.State<double>)(object)_state, Step);
        }
        else
        {
            _adam.Step(AsFloat(W), AsFloat(G), (Adam.State<float>)(object)_state, Step);
        }
    }

    /// <summary>
    /// Adam's arithmetic alone, its bound on one thread: the generated Step over one <see cref="TileLength"/>-element block
    /// of w, g, m and v (cache-resident) N / <see cref="TileLength"/> times, so that every element of N meets the kernel's
    /// square root and division with no memory traffic (plus the per-call checks of each Step).
    /// </summary>
    [Benchmark, BenchmarkCategory("ComputeFloor")]
    public void AdamComputeFloor()
    {
        for (int start = 0; start < N; start += TileLength)
        {
            if (typeof(T) == typeof(double))
            {
                _adam.Step(AsDouble(_blockW), AsDouble(_blockG), (Adam.State<double>)(object)_blockState, Step);
            }
            else
            {
                _adam.Step(AsFloat(_blockW), AsFloat(_blockG), (Adam.State<float>)(object)_blockState, Step);
            }
        }
    }

    /// <summary>Adam as a plain loop (torch's formula, bias corrections hoisted).</summary>
    [Benchmark, BenchmarkCategory("Naive")]
    public void AdamNaive()
    {
        (T b1, T b2, T stepSize, T rootCorrection2, T eps) = Constants();
        T oneMinusB1 = T.One - b1, oneMinusB2 = T.One - b2;
        T[] w = W, g = G;
        Span<T> m = _state.M, v = _state.V;
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = (b1 * m[i]) + (oneMinusB1 * g[i]);
            v[i] = (b2 * v[i]) + (oneMinusB2 * g[i] * g[i]);
            w[i] -= stepSize * m[i] / ((T.Sqrt(v[i]) / rootCorrection2) + eps);
        }
    }

    /// <summary>Adam composed from TensorPrimitives over full-length buffers (as torch's foreach kernels do it, op by op).</summary>
    [Benchmark, BenchmarkCategory("TensorPrimitives")]
    public void AdamTensorPrimitives() => AdamComposed(W, G, _state.M, _state.V, Buffer1, Buffer2);

    /// <summary>The same composition tile by tile.</summary>
    [Benchmark, BenchmarkCategory("Tiled")]
    public void AdamTiled()
    {
        Span<T> m = _state.M, v = _state.V;
        for (int start = 0; start < N; start += TileLength)
        {
            int length = Math.Min(TileLength, N - start);
            AdamComposed(W.AsSpan(start, length), G.AsSpan(start, length), m.Slice(start, length), v.Slice(start, length), Tile1.AsSpan(0, length), Tile2.AsSpan(0, length));
        }
    }

    private (T B1, T B2, T StepSize, T RootCorrection2, T Eps) Constants()
    {
        double correction1 = 1 - Math.Pow(_adam.Beta1, Step), correction2 = 1 - Math.Pow(_adam.Beta2, Step);
        return (C(_adam.Beta1), C(_adam.Beta2), C(_adam.LearningRate(Step) / correction1), C(Math.Sqrt(correction2)), C(_adam.Eps));
    }

    // m = m·β₁ + (1 − β₁)g; b = g·g; v = v·β₂ + (1 − β₂)b; b = √v; b = b/√c₂; b = b + ε; c = m/b; w = c·(−η/c₁) + w.
    private void AdamComposed(Span<T> w, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> b, Span<T> c)
    {
        (T b1, T b2, T stepSize, T rootCorrection2, T eps) = Constants();
        TensorPrimitives.Multiply(m, b1, m);
        TensorPrimitives.MultiplyAdd(g, T.One - b1, m, m);
        TensorPrimitives.Multiply(v, b2, v);
        TensorPrimitives.Multiply(g, g, b);
        TensorPrimitives.MultiplyAdd(b, T.One - b2, v, v);
        TensorPrimitives.Sqrt(v, b);
        TensorPrimitives.Multiply(b, T.One / rootCorrection2, b);
        TensorPrimitives.Add(b, eps, b);
        TensorPrimitives.Divide(m, b, c);
        TensorPrimitives.MultiplyAdd(c, -stepSize, w, w);
    }
}
