using System;
using System.Linq;
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
/// What the step benchmarks share: the sizes N ∈ {1M, 16M} and thread counts {1, 2} (set through
/// <see cref="Parallelism.MaxThreads"/> in the setup), the data, and the buffers of the hand-written references.
/// </summary>
/// <remarks>
/// <para>Every class has three kinds of method, told apart by category:</para>
/// <list type="bullet">
/// <item><c>Floor</c> (the baseline, so BenchmarkDotNet's Ratio column is kernel/floor): a trivial update with exactly the
/// kernel's access pattern, run by the same public drivers (<see cref="ElementwiseKernel"/>, <see cref="StatefulKernel"/>,
/// <see cref="Reduction"/>), hence with the same alignment peel, the same fixed chunks and the same helper threads.
/// Going through the public drivers rather than a separate hand-written loop means the floor needs no internal API
/// (no InternalsVisibleTo for ChunkWorkers) and differs from the kernel in the formula only, which is what the
/// kernel/floor ratio is meant to isolate; the drivers' own overhead over a bare loop is then shown by <c>Naive</c>
/// and <c>TensorPrimitives</c> at N = 16M on one thread, where everything is bound by memory.</item>
/// <item><c>Kernel</c>: the generated <c>Step</c>.</item>
/// <item><c>Naive</c>, <c>TensorPrimitives</c>, <c>Tiled</c>: what a careful person writes without DslOptim — a plain
/// scalar loop, the update composed from <see cref="System.Numerics.Tensors.TensorPrimitives"/> calls with preallocated
/// full-length buffers, and the same composition applied tile by tile (<see cref="TileLength"/> elements, so the
/// temporaries stay in L1/L2). These are single-threaded by nature and run at Threads = 1 only.</item>
/// <item><c>ComputeFloor</c> (the soft sign and Adam, where square roots and divisions could bind): the kernel over one
/// cache-resident block, repeated to cover N elements, so its arithmetic runs without memory traffic; Threads = 1 only.</item>
/// </list>
/// <para>Select a group with <c>--anyCategories Elementwise</c> (or Isotropic, Adam, Floor, Kernel, …) or
/// <c>--filter '*IsotropicStep*'</c>.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public abstract class StepBenchmarkBase<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per tile of the tiled references: 4096 (16 KiB of float, 32 KiB of double per buffer).</summary>
    public const int TileLength = 4096;

    /// <summary>The step index passed to every Step (bias corrections use it; fixed, so every call does the same work).</summary>
    protected const long Step = 10;

    /// <summary>Elements of each array.</summary>
    [Params(1_000_000, 16_000_000)]
    public int N { get; set; }

    /// <summary><see cref="Parallelism.MaxThreads"/> during the benchmark.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The weights, updated in place.</summary>
    protected T[] W { get; private set; } = [];

    /// <summary>The gradient, read only.</summary>
    protected T[] G { get; private set; } = [];

    /// <summary>Full-length temporaries of the TensorPrimitives composition (allocated at Threads = 1 only).</summary>
    protected T[] Buffer1 { get; private set; } = [];

    /// <summary>The second full-length temporary.</summary>
    protected T[] Buffer2 { get; private set; } = [];

    /// <summary>The arrays of each N, made on first use (see <see cref="Setup"/>).</summary>
    private static readonly System.Collections.Generic.Dictionary<int, Arrays> Shared = [];

    /// <summary>Tile-length temporaries of the tiled composition.</summary>
    protected T[] Tile1 { get; } = new T[TileLength];

    /// <summary>The second tile temporary.</summary>
    protected T[] Tile2 { get; } = new T[TileLength];

    /// <summary>
    /// Takes the arrays for this N: g uniform in [−0.5, 0.5) (‖g‖ ≈ √N/3.5 ≫ ε: clipping clips), w in [0, 1) when first
    /// made. They are made once per N and T in a process and shared by every case (the quick job runs all cases in one
    /// process): refilling 16M-element arrays for each of ~250 cases took about a minute of the suite, and sharing also
    /// gives a kernel and its floor the very same arrays. A shared w drifts from case to case (every step moves it), which
    /// changes no step's work.
    /// </summary>
    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxThreads = Threads;
        if (!Shared.TryGetValue(N, out Arrays? arrays))
        {
            var random = new Random(42);
            arrays = new Arrays(Fill(N, () => random.NextDouble()), Fill(N, () => random.NextDouble() - 0.5));
            Shared[N] = arrays;
        }

        W = arrays.W;
        G = arrays.G;
        if (Threads == 1)
        {
            arrays.Buffer1 ??= new T[N];
            arrays.Buffer2 ??= new T[N];
            Buffer1 = arrays.Buffer1;
            Buffer2 = arrays.Buffer2;
        }

        AfterSetup();
    }

    /// <summary>A class's own setup, after the arrays'.</summary>
    protected virtual void AfterSetup()
    {
    }

    /// <summary>Restores the default thread budget.</summary>
    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxThreads = 0;

    /// <summary>The array as the generated double overloads take it (T is double).</summary>
    protected static Span<double> AsDouble(T[] a) => MemoryMarshal.Cast<T, double>(a.AsSpan());

    /// <summary>The array as the generated float overloads take it (T is float).</summary>
    protected static Span<float> AsFloat(T[] a) => MemoryMarshal.Cast<T, float>(a.AsSpan());

    /// <summary>A hyperparameter as T.</summary>
    protected static T C(double value) => T.CreateTruncating(value);

    /// <summary>The arrays of one N.</summary>
    private sealed class Arrays(T[] w, T[] g)
    {
        public T[] W { get; } = w;

        public T[] G { get; } = g;

        public T[]? Buffer1 { get; set; }

        public T[]? Buffer2 { get; set; }
    }

    private static T[] Fill(int n, Func<double> next)
    {
        var a = new T[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = T.CreateTruncating(next());
        }

        return a;
    }
}

/// <summary>The reference implementations (Naive, TensorPrimitives, Tiled) run at one thread only.</summary>
public sealed class StepConfig : ManualConfig
{
    /// <summary>The categories of the single-threaded references and compute floors.</summary>
    public static readonly string[] SingleThreaded = ["Naive", "TensorPrimitives", "Tiled", "ComputeFloor"];

    /// <summary>Filters the references out of the two-thread cases.</summary>
    public StepConfig()
    {
        AddFilter(new SimpleFilter(benchmark =>
            !benchmark.Descriptor.Categories.Any(c => SingleThreaded.Contains(c))
            || benchmark.Parameters["Threads"] is 1));
    }
}

/// <summary>The elementwise floor: w ← w + g (one add per element, the access pattern of every elementwise step).</summary>
public readonly struct AddFloor<T> : IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g) => w + g;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g) => w + g;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g) => w + g;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g) => w + g;
}

/// <summary>Adam's floor: m ← m + g, v ← v + g, w ← w + g (reads w, g, m, v; writes w, m, v; one add per array).</summary>
public readonly struct AdamFloor<T> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static int StateCount => 2;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3)
    {
        s0 += g;
        s1 += g;
        return w + g;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3)
    {
        s0 += g;
        s1 += g;
        return w + g;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3)
    {
        s0 += g;
        s1 += g;
        return w + g;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
    {
        s0 += g;
        s1 += g;
        return w + g;
    }
}
