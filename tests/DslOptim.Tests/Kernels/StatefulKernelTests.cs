using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

// The test updates are marked AggressiveInlining, as the kernel's operators should be (ScaledSubtract is): the
// drivers rely on the update being inlined, so that the state locals stay in registers; a non-inlined Invoke
// with four by-ref vectors goes through the stack at every call.

/// <summary>Heavy-ball momentum, one state: s0 ← 0.9·s0 + g; w ← w − lr·s0.</summary>
internal readonly struct MomentumUpdate<T> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly T Beta = T.CreateTruncating(0.9);

    private readonly T _lr;

    public MomentumUpdate(T lr) => _lr = lr;

    public static int StateCount => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3)
    {
        s0 = (Beta * s0) + g;
        return w - (_lr * s0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3)
    {
        s0 = (Vector128.Create(Beta) * s0) + g;
        return w - (Vector128.Create(_lr) * s0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3)
    {
        s0 = (Vector256.Create(Beta) * s0) + g;
        return w - (Vector256.Create(_lr) * s0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
    {
        s0 = (Vector512.Create(Beta) * s0) + g;
        return w - (Vector512.Create(_lr) * s0);
    }
}

/// <summary>Adam without bias correction, two states: s0 ← 0.9·s0 + 0.1·g; s1 ← 0.999·s1 + 0.001·g²; w ← w − lr·s0/(√s1 + 1e-8).</summary>
internal readonly struct AdamLikeUpdate<T> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly T B1 = T.CreateTruncating(0.9);
    public static readonly T C1 = T.CreateTruncating(0.1);
    public static readonly T B2 = T.CreateTruncating(0.999);
    public static readonly T C2 = T.CreateTruncating(0.001);
    public static readonly T Eps = T.CreateTruncating(1e-8);

    private readonly T _lr;

    public AdamLikeUpdate(T lr) => _lr = lr;

    public static int StateCount => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3)
    {
        s0 = (B1 * s0) + (C1 * g);
        s1 = (B2 * s1) + (C2 * g * g);
        return w - (_lr * s0 / (T.Sqrt(s1) + Eps));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3)
    {
        s0 = (Vector128.Create(B1) * s0) + (Vector128.Create(C1) * g);
        s1 = (Vector128.Create(B2) * s1) + (Vector128.Create(C2) * g * g);
        return w - (Vector128.Create(_lr) * s0 / (Vector128.Sqrt(s1) + Vector128.Create(Eps)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3)
    {
        s0 = (Vector256.Create(B1) * s0) + (Vector256.Create(C1) * g);
        s1 = (Vector256.Create(B2) * s1) + (Vector256.Create(C2) * g * g);
        return w - (Vector256.Create(_lr) * s0 / (Vector256.Sqrt(s1) + Vector256.Create(Eps)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
    {
        s0 = (Vector512.Create(B1) * s0) + (Vector512.Create(C1) * g);
        s1 = (Vector512.Create(B2) * s1) + (Vector512.Create(C2) * g * g);
        return w - (Vector512.Create(_lr) * s0 / (Vector512.Sqrt(s1) + Vector512.Create(Eps)));
    }
}

/// <summary>
/// Four states, each changed by every update (so that a skipped or repeated element shows in every span):
/// s0 ← 0.9·s0 + 0.1·g; s1 ← 0.999·s1 + 0.001·g²; s2 ← max(0.99·s2, s1) (AMSGrad-like); s3 ← 0.5·s3 + g;
/// w ← w − lr·s0/(√s2 + 1e-8) − 0.001·s3.
/// </summary>
internal readonly struct FourStateUpdate<T> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly T B1 = T.CreateTruncating(0.9);
    public static readonly T C1 = T.CreateTruncating(0.1);
    public static readonly T B2 = T.CreateTruncating(0.999);
    public static readonly T C2 = T.CreateTruncating(0.001);
    public static readonly T D = T.CreateTruncating(0.99);
    public static readonly T Half = T.CreateTruncating(0.5);
    public static readonly T Eps = T.CreateTruncating(1e-8);

    private readonly T _lr;

    public FourStateUpdate(T lr) => _lr = lr;

    public static int StateCount => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3)
    {
        s0 = (B1 * s0) + (C1 * g);
        s1 = (B2 * s1) + (C2 * g * g);
        s2 = T.Max(D * s2, s1);
        s3 = (Half * s3) + g;
        return w - (_lr * s0 / (T.Sqrt(s2) + Eps)) - (C2 * s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3)
    {
        s0 = (Vector128.Create(B1) * s0) + (Vector128.Create(C1) * g);
        s1 = (Vector128.Create(B2) * s1) + (Vector128.Create(C2) * g * g);
        s2 = Vector128.Max(Vector128.Create(D) * s2, s1);
        s3 = (Vector128.Create(Half) * s3) + g;
        return w - (Vector128.Create(_lr) * s0 / (Vector128.Sqrt(s2) + Vector128.Create(Eps))) - (Vector128.Create(C2) * s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3)
    {
        s0 = (Vector256.Create(B1) * s0) + (Vector256.Create(C1) * g);
        s1 = (Vector256.Create(B2) * s1) + (Vector256.Create(C2) * g * g);
        s2 = Vector256.Max(Vector256.Create(D) * s2, s1);
        s3 = (Vector256.Create(Half) * s3) + g;
        return w - (Vector256.Create(_lr) * s0 / (Vector256.Sqrt(s2) + Vector256.Create(Eps))) - (Vector256.Create(C2) * s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
    {
        s0 = (Vector512.Create(B1) * s0) + (Vector512.Create(C1) * g);
        s1 = (Vector512.Create(B2) * s1) + (Vector512.Create(C2) * g * g);
        s2 = Vector512.Max(Vector512.Create(D) * s2, s1);
        s3 = (Vector512.Create(Half) * s3) + g;
        return w - (Vector512.Create(_lr) * s0 / (Vector512.Sqrt(s2) + Vector512.Create(Eps))) - (Vector512.Create(C2) * s3);
    }
}

/// <summary>An update with an out-of-range state count, or for an unsupported element type.</summary>
internal readonly struct BadStateCountUpdate<T, TCount> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TCount : struct, IStateCountSource
{
    public static int StateCount => TCount.Value;

    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3) => w;

    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3) => w;

    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3) => w;

    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3) => w;
}

/// <summary>A state count as a type, for <see cref="BadStateCountUpdate{T, TCount}"/>.</summary>
internal interface IStateCountSource
{
    static abstract int Value { get; }
}

internal readonly struct ZeroStates : IStateCountSource
{
    public static int Value => 0;
}

internal readonly struct OneState : IStateCountSource
{
    public static int Value => 1;
}

internal readonly struct FiveStates : IStateCountSource
{
    public static int Value => 5;
}

/// <summary>
/// <see cref="StatefulKernel.Apply{T, TUpdate}"/> against scalar loops of the same formulas written here: every
/// length, w and every state sliced at various offsets of larger arrays whose elements before and after must
/// stay bitwise untouched; validation before any write; no allocation.
/// </summary>
public sealed unsafe class StatefulKernelTests
{
    private const byte Canary = 0xA5;
    private const int Guard = 16;
    private const double DoubleTolerance = 1e-13;
    private const double SingleTolerance = 1e-6;

    /// <summary>The scalar formula of one test update, written independently of the update structs.</summary>
    private delegate T Formula<T>(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3);

    /// <summary>How Apply is called: the public entry point or one internal width driver.</summary>
    private enum Driver
    {
        Apply,
        Width512,
        Width256,
        Width128,
        Scalar,
    }

    public static TheoryData<int> Offsets()
    {
        var data = new TheoryData<int>();
        for (int offset = 1; offset <= 15; offset++)
        {
            data.Add(offset);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Offsets))]
    public void DoubleMatchesScalarLoopForEveryLength(int offset)
    {
        for (int n = 0; n <= 256; n++)
        {
            CheckAll<double>(Driver.Apply, n, offset);
        }
    }

    [Theory]
    [MemberData(nameof(Offsets))]
    public void SingleMatchesScalarLoopForEveryLength(int offset)
    {
        for (int n = 0; n <= 256; n++)
        {
            CheckAll<float>(Driver.Apply, n, offset);
        }
    }

    [Fact]
    public void LongSpansMatchScalarLoop()
    {
        CheckAll<double>(Driver.Apply, 1_000_003, 3);
        CheckAll<float>(Driver.Apply, 1_000_003, 5);
    }

    public static TheoryData<string> Drivers() => new() { "512", "256", "128", "Scalar" };

    [Theory]
    [MemberData(nameof(Drivers))]
    public void EachWidthDriverMatchesScalarLoop(string driver)
    {
        // The internal drivers are called directly, so that every width is exercised whatever this machine's
        // widest accelerated vector is (unaccelerated widths run in the BCL's software fallback).
        Driver d = driver switch
        {
            "512" => Driver.Width512,
            "256" => Driver.Width256,
            "128" => Driver.Width128,
            _ => Driver.Scalar,
        };
        for (int n = 0; n <= 200; n++)
        {
            for (int offset = 0; offset < 16; offset++)
            {
                CheckAll<double>(d, n, offset);
                CheckAll<float>(d, n, offset);
            }
        }
    }

    [Fact]
    public void GradientMayBeTheWeights()
    {
        // g == w: every element becomes u(w, w, s).
        const int N = 301;
        double[] w = ElementwiseKernelTests.Sample<double>(N, 1);
        double[] s0 = ElementwiseKernelTests.Sample<double>(N, 2);
        double[] s1 = Positive(ElementwiseKernelTests.Sample<double>(N, 3));
        double[] ew = (double[])w.Clone();
        double[] e0 = (double[])s0.Clone();
        double[] e1 = (double[])s1.Clone();
        double unused = 0;
        for (int i = 0; i < N; i++)
        {
            ew[i] = AdamLike(0.01)(ew[i], ew[i], ref e0[i], ref e1[i], ref unused, ref unused);
        }

        StatefulKernel.Apply(w, w, s0, s1, default, default, new AdamLikeUpdate<double>(0.01));
        AssertClose(ew, w, DoubleTolerance, "w");
        AssertClose(e0, s0, DoubleTolerance, "s0");
        AssertClose(e1, s1, DoubleTolerance, "s1");
    }

    [Fact]
    public void MemoryNotAlignedToTheElementSizeStillWorks()
    {
        // Native memory one byte off an 8-byte boundary: no element can be vector-aligned, so the driver must
        // fall back to unaligned stores (an aligned store there would fault). The states are misaligned too.
        const int N = 1000;
        byte* block = (byte*)NativeMemory.AlignedAlloc((nuint)((3 * N * sizeof(double)) + 64), 64);
        try
        {
            var w = new Span<double>(block + 1, N);
            var s0 = new Span<double>(block + 3 + (N * sizeof(double)), N);
            var s1 = new Span<double>(block + 5 + (2 * N * sizeof(double)), N);
            double[] g = ElementwiseKernelTests.Sample<double>(N, 2);
            double[] ew = ElementwiseKernelTests.Sample<double>(N, 1);
            double[] e0 = ElementwiseKernelTests.Sample<double>(N, 3);
            double[] e1 = Positive(ElementwiseKernelTests.Sample<double>(N, 4));
            ew.CopyTo(w);
            e0.CopyTo(s0);
            e1.CopyTo(s1);
            double unused = 0;
            for (int i = 0; i < N; i++)
            {
                ew[i] = AdamLike(0.01)(ew[i], g[i], ref e0[i], ref e1[i], ref unused, ref unused);
            }

            StatefulKernel.Apply(w, g, s0, s1, default, default, new AdamLikeUpdate<double>(0.01));
            AssertClose(ew, w.ToArray(), DoubleTolerance, "w");
            AssertClose(e0, s0.ToArray(), DoubleTolerance, "s0");
            AssertClose(e1, s1.ToArray(), DoubleTolerance, "s1");
        }
        finally
        {
            NativeMemory.AlignedFree(block);
        }
    }

    // ---------------------------------------------------------------- validation

    [Fact]
    public void MismatchedGradientLengthThrowsBeforeWriting()
    {
        var spans = new Spans(10);
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            StatefulKernel.Apply(spans.W.Span, new double[11], spans.S[0].Span, spans.S[1].Span, spans.S[2].Span, spans.S[3].Span, new FourStateUpdate<double>(0.01)));
        Assert.Equal("g", e.ParamName);
        Assert.Contains("10", e.Message, StringComparison.Ordinal);
        Assert.Contains("11", e.Message, StringComparison.Ordinal);
        spans.AssertUnchanged();
    }

    [Theory]
    [InlineData(0, 9)]
    [InlineData(1, 11)]
    [InlineData(2, 0)]
    [InlineData(3, 13)]
    [InlineData(3, 9)]
    public void MismatchedStateLengthThrowsNamingTheStateBeforeWriting(int state, int length)
    {
        // Every other span valid: nothing may be written, even to the states checked before the bad one.
        var spans = new Spans(10);
        double[] wrong = new double[length];
        spans.S[state] = wrong;
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            StatefulKernel.Apply(spans.W.Span, spans.G.Span, spans.S[0].Span, spans.S[1].Span, spans.S[2].Span, spans.S[3].Span, new FourStateUpdate<double>(0.01)));
        string name = "s" + state;
        Assert.Equal(name, e.ParamName);
        Assert.Contains(name, e.Message, StringComparison.Ordinal);
        Assert.Contains("10", e.Message, StringComparison.Ordinal);
        Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        spans.AssertUnchanged();
        Assert.All(wrong, v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    public void UnusedButNonEmptyStateThrowsBeforeWriting(int stateCount, int state)
    {
        var spans = new Spans(10);
        Memory<double> extra = spans.S[state];
        for (int j = stateCount; j < 4; j++)
        {
            spans.S[j] = default;
        }

        // The unused state has the right length and is disjoint from everything: only its presence is wrong.
        spans.S[state] = extra;
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
        {
            if (stateCount == 1)
            {
                StatefulKernel.Apply(spans.W.Span, spans.G.Span, spans.S[0].Span, spans.S[1].Span, spans.S[2].Span, spans.S[3].Span, new MomentumUpdate<double>(0.01));
            }
            else
            {
                StatefulKernel.Apply(spans.W.Span, spans.G.Span, spans.S[0].Span, spans.S[1].Span, spans.S[2].Span, spans.S[3].Span, new AdamLikeUpdate<double>(0.01));
            }
        });
        Assert.Equal("s" + state, e.ParamName);
        Assert.Contains(stateCount.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        spans.AssertUnchanged();
    }

    public static TheoryData<string> Overlaps() => new()
    {
        "g partially overlaps w",
        "s0 is w",
        "s0 partially overlaps w",
        "s0 is g",
        "s1 partially overlaps g",
        "s1 is s0",
        "s1 partially overlaps s0",
        "s2 partially overlaps s1",
        "s3 partially overlaps w",
        "s3 partially overlaps s2",
        "s3 is s0",
    };

    [Theory]
    [MemberData(nameof(Overlaps))]
    public void OverlapThrowsBeforeWriting(string overlap)
    {
        // w, g and the states are disjoint windows of one array; then one span is moved onto (or into) another.
        var spans = new Spans(10);
        Memory<double> data = spans.Data;
        string expectedParam = overlap[..2].TrimEnd();
        switch (overlap)
        {
            case "g partially overlaps w": spans.G = data.Slice(spans.WStart + 3, 10); break;
            case "s0 is w": spans.S[0] = spans.W; break;
            case "s0 partially overlaps w": spans.S[0] = data.Slice(spans.WStart + 3, 10); break;
            case "s0 is g": spans.S[0] = spans.G; break;
            case "s1 partially overlaps g": spans.S[1] = data.Slice(spans.GStart - 3, 10); break;
            case "s1 is s0": spans.S[1] = spans.S[0]; break;
            case "s1 partially overlaps s0": spans.S[1] = data.Slice(spans.SStart(0) + 5, 10); break;
            case "s2 partially overlaps s1": spans.S[2] = data.Slice(spans.SStart(1) - 3, 10); break;
            case "s3 partially overlaps w": spans.S[3] = data.Slice(spans.WStart + 1, 10); break;
            case "s3 partially overlaps s2": spans.S[3] = data.Slice(spans.SStart(2) + 9, 10); break;
            default: spans.S[3] = spans.S[0]; break;
        }

        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            StatefulKernel.Apply(spans.W.Span, spans.G.Span, spans.S[0].Span, spans.S[1].Span, spans.S[2].Span, spans.S[3].Span, new FourStateUpdate<double>(0.01)));
        Assert.Equal(expectedParam, e.ParamName);
        spans.AssertUnchanged();
    }

    [Fact]
    public void UnsupportedElementTypeThrows()
    {
        var w = new Half[4];
        Assert.Throws<NotSupportedException>(() =>
            StatefulKernel.Apply(w, new Half[4], new Half[4], default, default, default, new BadStateCountUpdate<Half, OneState>()));
    }

    [Fact]
    public void StateCountOutsideOneToFourThrows()
    {
        double[] w = { 1, 2, 3 };
        Assert.Throws<NotSupportedException>(() =>
            StatefulKernel.Apply(w, new double[3], default, default, default, default, new BadStateCountUpdate<double, ZeroStates>()));
        Assert.Throws<NotSupportedException>(() =>
            StatefulKernel.Apply(w, new double[3], new double[3], new double[3], new double[3], new double[3], new BadStateCountUpdate<double, FiveStates>()));
        Assert.Equal(new double[] { 1, 2, 3 }, w);
    }

    [Fact]
    public void ApplyDoesNotAllocate()
    {
        double[] w = ElementwiseKernelTests.Sample<double>(10_007, 1);
        double[] g = ElementwiseKernelTests.Sample<double>(10_007, 2);
        double[] m = ElementwiseKernelTests.Sample<double>(10_007, 3);
        double[] v = Positive(ElementwiseKernelTests.Sample<double>(10_007, 4));
        float[][] f = new float[6][];
        for (int j = 0; j < f.Length; j++)
        {
            f[j] = ElementwiseKernelTests.Sample<float>(40_009, 10 + j);
        }

        f[3] = Positive(f[3]);
        f[4] = Positive(f[4]);
        var adam = new AdamLikeUpdate<double>(1e-9);
        var four = new FourStateUpdate<float>(1e-9f);
        var momentum = new MomentumUpdate<double>(1e-9);
        double sink = 0;

        long allocated = Allocation.OverCollectionFreeWindow(_ => sink += Run(), calls: 1000, warmUp: 3000);
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(sink));

        double Run()
        {
            StatefulKernel.Apply(w, g, m, v, default, default, adam);
            StatefulKernel.Apply(f[0].AsSpan(1), f[1].AsSpan(1), f[2].AsSpan(1), f[3].AsSpan(1), f[4].AsSpan(1), f[5].AsSpan(1), four);
            StatefulKernel.Apply(w.AsSpan(0, 5), g.AsSpan(0, 5), m.AsSpan(3, 5), default, default, default, momentum);
            return w[17] + f[0][33];
        }
    }

    // ---------------------------------------------------------------- the reference formulas

    private static Formula<T> Momentum<T>(T lr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T beta = T.CreateTruncating(0.9);
        return (T w, T g, ref T s0, ref T s1, ref T s2, ref T s3) =>
        {
            s0 = (beta * s0) + g;
            return w - (lr * s0);
        };
    }

    private static Formula<T> AdamLike<T>(T lr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = T.CreateTruncating(0.9), c1 = T.CreateTruncating(0.1);
        T b2 = T.CreateTruncating(0.999), c2 = T.CreateTruncating(0.001), eps = T.CreateTruncating(1e-8);
        return (T w, T g, ref T s0, ref T s1, ref T s2, ref T s3) =>
        {
            s0 = (b1 * s0) + (c1 * g);
            s1 = (b2 * s1) + (c2 * g * g);
            return w - (lr * s0 / (T.Sqrt(s1) + eps));
        };
    }

    private static Formula<T> FourStates<T>(T lr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T b1 = T.CreateTruncating(0.9), c1 = T.CreateTruncating(0.1);
        T b2 = T.CreateTruncating(0.999), c2 = T.CreateTruncating(0.001), eps = T.CreateTruncating(1e-8);
        T d = T.CreateTruncating(0.99), half = T.CreateTruncating(0.5);
        return (T w, T g, ref T s0, ref T s1, ref T s2, ref T s3) =>
        {
            s0 = (b1 * s0) + (c1 * g);
            s1 = (b2 * s1) + (c2 * g * g);
            s2 = T.Max(d * s2, s1);
            s3 = (half * s3) + g;
            return w - (lr * s0 / (T.Sqrt(s2) + eps)) - (c2 * s3);
        };
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>The three test updates, each with state spans at offsets of their own.</summary>
    private static void CheckAll<T>(Driver driver, int n, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T lr = T.CreateTruncating(0.01);
        Check(driver, n, offset, new MomentumUpdate<T>(lr), Momentum(lr));
        Check(driver, n, offset, new AdamLikeUpdate<T>(lr), AdamLike(lr));
        Check(driver, n, offset, new FourStateUpdate<T>(lr), FourStates(lr));
    }

    /// <summary>
    /// Runs the kernel on w = wBuffer[offset .. offset + n) and states sliced at other offsets of their own
    /// buffers, every buffer canary-filled around its span, and compares with the scalar loop of
    /// <paramref name="formula"/>; the canaries must be untouched and the gradient buffer unchanged.
    /// </summary>
    private static void Check<T, TUpdate>(Driver driver, int n, int offset, TUpdate update, Formula<T> formula)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        int count = TUpdate.StateCount;
        double tolerance = typeof(T) == typeof(double) ? DoubleTolerance : SingleTolerance;

        // Offsets differ between spans so that w's peel leaves g and the states at varied alignments.
        int gOffset = (offset * 7) % 16;
        var stateOffsets = new int[4];
        for (int j = 0; j < 4; j++)
        {
            stateOffsets[j] = ((offset * (3 + (2 * j))) + j) % 16;
        }

        T[] wBuffer = Canaries<T>(offset + n + Guard);
        T[] gBuffer = Canaries<T>(gOffset + n + Guard);
        var sBuffers = new T[count][];
        T[] w0 = ElementwiseKernelTests.Sample<T>(n, n + 1);
        ElementwiseKernelTests.Sample<T>(n, (2 * n) + 7).CopyTo(gBuffer, gOffset);
        var states0 = new T[count][];
        for (int j = 0; j < count; j++)
        {
            // s1 and s2 enter square roots: positive.
            T[] sample = ElementwiseKernelTests.Sample<T>(n, (3 * n) + 11 + j);
            states0[j] = j is 1 or 2 ? Positive(sample) : sample;
            sBuffers[j] = Canaries<T>(stateOffsets[j] + n + Guard);
            states0[j].CopyTo(sBuffers[j], stateOffsets[j]);
        }

        w0.CopyTo(wBuffer, offset);
        T[] gCopy = (T[])gBuffer.Clone();

        // The reference: the formula in a plain scalar loop.
        T[] expectedW = (T[])w0.Clone();
        var expectedS = new T[count][];
        for (int j = 0; j < count; j++)
        {
            expectedS[j] = (T[])states0[j].Clone();
        }

        for (int i = 0; i < n; i++)
        {
            T a = T.Zero, b = T.Zero, c = T.Zero, d = T.Zero;
            if (count > 0)
            {
                a = expectedS[0][i];
            }

            if (count > 1)
            {
                b = expectedS[1][i];
            }

            if (count > 2)
            {
                c = expectedS[2][i];
            }

            if (count > 3)
            {
                d = expectedS[3][i];
            }

            expectedW[i] = formula(expectedW[i], gBuffer[gOffset + i], ref a, ref b, ref c, ref d);
            if (count > 0)
            {
                expectedS[0][i] = a;
            }

            if (count > 1)
            {
                expectedS[1][i] = b;
            }

            if (count > 2)
            {
                expectedS[2][i] = c;
            }

            if (count > 3)
            {
                expectedS[3][i] = d;
            }
        }

        Span<T> State(int j) => j < count ? sBuffers[j].AsSpan(stateOffsets[j], n) : default;

        if (driver == Driver.Apply)
        {
            StatefulKernel.Apply(wBuffer.AsSpan(offset, n), gBuffer.AsSpan(gOffset, n), State(0), State(1), State(2), State(3), update);
        }
        else
        {
            fixed (T* pw = wBuffer.AsSpan(offset, n))
            fixed (T* pg = gBuffer.AsSpan(gOffset, n))
            fixed (T* p0 = State(0))
            fixed (T* p1 = State(1))
            fixed (T* p2 = State(2))
            fixed (T* p3 = State(3))
            {
                switch (driver)
                {
                    case Driver.Width512: StatefulKernel.Apply512(pw, pg, p0, p1, p2, p3, (nuint)n, ref update); break;
                    case Driver.Width256: StatefulKernel.Apply256(pw, pg, p0, p1, p2, p3, (nuint)n, ref update); break;
                    case Driver.Width128: StatefulKernel.Apply128(pw, pg, p0, p1, p2, p3, (nuint)n, ref update); break;
                    default: StatefulKernel.ApplyScalar(pw, pg, p0, p1, p2, p3, (nuint)n, ref update); break;
                }
            }
        }

        string where = $"{driver}, {typeof(T).Name}, {typeof(TUpdate).Name}, n = {n}, offset = {offset}";
        AssertClose(expectedW, wBuffer.AsSpan(offset, n).ToArray(), tolerance, $"{where}: w");
        AssertCanaries(wBuffer.AsSpan(0, offset), $"{where}: before w");
        AssertCanaries(wBuffer.AsSpan(offset + n), $"{where}: after w");
        for (int j = 0; j < count; j++)
        {
            AssertClose(expectedS[j], sBuffers[j].AsSpan(stateOffsets[j], n).ToArray(), tolerance, $"{where}: s{j}");
            AssertCanaries(sBuffers[j].AsSpan(0, stateOffsets[j]), $"{where}: before s{j}");
            AssertCanaries(sBuffers[j].AsSpan(stateOffsets[j] + n), $"{where}: after s{j}");
        }

        if (!MemoryMarshal.AsBytes(gCopy.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(gBuffer.AsSpan())))
        {
            Assert.Fail($"{where}: g (or its canaries) was modified");
        }
    }

    private static T[] Canaries<T>(int length)
        where T : unmanaged
    {
        var buffer = new T[length];
        MemoryMarshal.AsBytes(buffer.AsSpan()).Fill(Canary);
        return buffer;
    }

    private static void AssertCanaries<T>(Span<T> span, string where)
        where T : unmanaged
    {
        foreach (byte b in MemoryMarshal.AsBytes(span))
        {
            if (b != Canary)
            {
                Assert.Fail($"{where}: an element outside the span was written");
            }
        }
    }

    /// <summary>|expected − actual| ≤ tolerance·|expected| elementwise (exact where expected is 0).</summary>
    private static void AssertClose<T>(T[] expected, T[] actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateTruncating(expected[i]);
            double a = double.CreateTruncating(actual[i]);
            if (!(Math.Abs(e - a) <= tolerance * Math.Abs(e)))
            {
                Assert.Fail($"{what}[{i}] = {a:R}, the scalar loop gives {e:R}");
            }
        }
    }

    private static T[] Positive<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.Abs(values[i]);
        }

        return values;
    }

    /// <summary>
    /// w, g and four states as disjoint windows (gaps of 4 between them) of one array filled with distinct values;
    /// a test may replace any of them. AssertUnchanged checks the whole array, and so every span, bit for bit.
    /// </summary>
    private sealed class Spans
    {
        private const int Gap = 4;
        private readonly double[] _data;
        private readonly double[] _before;
        private readonly int _n;

        public Spans(int n)
        {
            _n = n;
            _data = new double[(6 * (n + Gap)) + Gap];
            for (int i = 0; i < _data.Length; i++)
            {
                _data[i] = 1 + (i * 0.01);
            }

            _before = (double[])_data.Clone();
            W = _data.AsMemory(WStart, n);
            G = _data.AsMemory(GStart, n);
            S = new Memory<double>[4];
            for (int j = 0; j < 4; j++)
            {
                S[j] = _data.AsMemory(SStart(j), n);
            }
        }

        public Memory<double> Data => _data;

        public int WStart => Gap;

        public int GStart => Gap + (_n + Gap);

        public Memory<double> W { get; set; }

        public Memory<double> G { get; set; }

        public Memory<double>[] S { get; }

        public int SStart(int j) => Gap + ((2 + j) * (_n + Gap));

        public void AssertUnchanged() => Assert.Equal(_before, _data);
    }
}
