using System;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;
using Xunit;

namespace DslOptim.Tests.Kernels;

/// <summary>A test update, w ← w − 0.1·g·g, written out in each overload (not idempotent: a double update shows).</summary>
internal readonly struct DecayBySquare<T> : IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly T C = T.CreateTruncating(0.1);

    public T Invoke(T w, T g) => w - (C * g * g);

    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g) => w - (Vector128.Create(C) * g * g);

    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g) => w - (Vector256.Create(C) * g * g);

    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g) => w - (Vector512.Create(C) * g * g);
}

/// <summary>An update for an element type the kernels do not support.</summary>
internal readonly struct Identity<T> : IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T w, T g) => w;

    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g) => w;

    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g) => w;

    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g) => w;
}

/// <summary>
/// <see cref="ElementwiseKernel.Apply{T, TUpdate}"/> against a scalar loop written here, bit for bit: every length,
/// spans starting at every offset of a larger array whose elements before and after must stay untouched.
/// </summary>
public sealed unsafe class ElementwiseKernelTests
{
    private const byte Canary = 0xA5;
    private const int Guard = 16;

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
            CheckApply<double>(n, offset, (offset * 7) % 16);
        }
    }

    [Theory]
    [MemberData(nameof(Offsets))]
    public void SingleMatchesScalarLoopForEveryLength(int offset)
    {
        for (int n = 0; n <= 256; n++)
        {
            CheckApply<float>(n, offset, (offset * 5) % 16);
        }
    }

    [Fact]
    public void LongSpansMatchScalarLoop()
    {
        CheckApply<double>(1_000_003, 3, 1);
        CheckApply<float>(1_000_003, 5, 0);
    }

    [Fact]
    public void ScaledSubtractMatchesScalarLoopBitForBit()
    {
        var update = new ScaledSubtract<double>(0.37);
        var updateF = new ScaledSubtract<float>(-2.5f);
        Assert.Equal(0.37, update.Scale);
        for (int n = 0; n <= 256; n += 1)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                Check<double, ScaledSubtract<double>>(n, offset, update, (w, g) => w - (0.37 * g));
                Check<float, ScaledSubtract<float>>(n, offset, updateF, (w, g) => w - (-2.5f * g));
            }
        }

        Check<double, ScaledSubtract<double>>(1_000_003, 1, update, (w, g) => w - (0.37 * g));
    }

    public static TheoryData<string> Drivers() => new() { "512", "256", "128", "Scalar" };

    [Theory]
    [MemberData(nameof(Drivers))]
    public void EachWidthDriverMatchesScalarLoop(string driver)
    {
        // The internal drivers are called directly, so that every width is exercised whatever this machine's
        // widest accelerated vector is (unaccelerated widths run in the BCL's software fallback).
        for (int n = 0; n <= 200; n++)
        {
            for (int offset = 0; offset < 16; offset++)
            {
                CheckDriver<double>(driver, n, offset);
                CheckDriver<float>(driver, n, offset);
            }
        }
    }

    [Fact]
    public void MismatchedLengthsThrowBeforeWriting()
    {
        double[] w = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        double[] before = (double[])w.Clone();
        var g = new double[11];
        ArgumentException e = Assert.Throws<ArgumentException>(() => ElementwiseKernel.Apply(w, g, new DecayBySquare<double>()));
        Assert.Equal("g", e.ParamName);
        Assert.Contains("10", e.Message, StringComparison.Ordinal);
        Assert.Contains("11", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, w);

        var shorter = new float[3];
        float[] wf = { 1, 2, 3, 4 };
        Assert.Throws<ArgumentException>(() => ElementwiseKernel.Apply(wf, shorter, new DecayBySquare<float>()));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, wf);
    }

    [Fact]
    public void PartiallyOverlappingGradientThrowsAndTheSameSpanWorks()
    {
        double[] data = new double[100];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = 1 + (i * 0.01);
        }

        double[] before = (double[])data.Clone();
        Assert.Throws<ArgumentException>(() => ElementwiseKernel.Apply(data.AsSpan(0, 90), data.AsSpan(1, 90), new DecayBySquare<double>()));
        Assert.Equal(before, data);

        // g == w: every element becomes w − 0.1·w·w.
        ElementwiseKernel.Apply(data.AsSpan(), data.AsSpan(), new DecayBySquare<double>());
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(before[i] - (DecayBySquare<double>.C * before[i] * before[i]), data[i]);
        }
    }

    [Fact]
    public void MemoryNotAlignedToTheElementSizeStillWorks()
    {
        // Native memory one byte off an 8-byte boundary: no element can be vector-aligned, so the driver must
        // fall back to unaligned stores (an aligned store there would fault).
        const int N = 1000;
        byte* block = (byte*)NativeMemory.AlignedAlloc((nuint)((N * sizeof(double)) + 64), 64);
        try
        {
            var w = new Span<double>(block + 1, N);
            double[] g = Sample<double>(N, 2);
            double[] w0 = Sample<double>(N, 1);
            w0.CopyTo(w);
            ElementwiseKernel.Apply(w, g, new DecayBySquare<double>());
            for (int i = 0; i < N; i++)
            {
                Assert.Equal(w0[i] - (DecayBySquare<double>.C * g[i] * g[i]), w[i]);
            }
        }
        finally
        {
            NativeMemory.AlignedFree(block);
        }
    }

    [Fact]
    public void UnsupportedElementTypeThrows()
    {
        var w = new Half[4];
        Assert.Throws<NotSupportedException>(() => ElementwiseKernel.Apply(w, new Half[4], new Identity<Half>()));
    }

    // ---------------------------------------------------------------- helpers

    private static void CheckApply<T>(int n, int wOffset, int gOffset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var update = new DecayBySquare<T>();
        Check<T, DecayBySquare<T>>(n, wOffset, update, (w, g) => w - (DecayBySquare<T>.C * g * g), gOffset);
    }

    /// <summary>
    /// Runs Apply on w = buffer[offset .. offset + n) with canaries around it and compares with the scalar
    /// reference, bit for bit; the canaries must be untouched and g unchanged.
    /// </summary>
    private static void Check<T, TUpdate>(int n, int wOffset, TUpdate update, Func<T, T, T> reference, int gOffset = 3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        T[] buffer = new T[wOffset + n + Guard];
        MemoryMarshal.AsBytes(buffer.AsSpan()).Fill(Canary);
        T[] w0 = Sample<T>(n, n + 1);
        T[] gBuffer = new T[gOffset + n];
        Sample<T>(n, (2 * n) + 7).CopyTo(gBuffer, gOffset);
        T[] gCopy = (T[])gBuffer.Clone();
        w0.CopyTo(buffer, wOffset);

        ElementwiseKernel.Apply(buffer.AsSpan(wOffset, n), gBuffer.AsSpan(gOffset, n), update);

        for (int i = 0; i < n; i++)
        {
            T expected = reference(w0[i], gBuffer[gOffset + i]);
            if (!BitEqual(expected, buffer[wOffset + i]))
            {
                Assert.Fail($"n = {n}, offset = {wOffset}: w[{i}] = {buffer[wOffset + i]}, the scalar loop gives {expected}");
            }
        }

        AssertCanaries(buffer.AsSpan(0, wOffset), n, wOffset, "before");
        AssertCanaries(buffer.AsSpan(wOffset + n), n, wOffset, "after");
        Assert.True(BitEqual<T>(gCopy, gBuffer), "g was modified");
    }

    private static void CheckDriver<T>(string driver, int n, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] buffer = new T[offset + n + Guard];
        MemoryMarshal.AsBytes(buffer.AsSpan()).Fill(Canary);
        T[] w0 = Sample<T>(n, n + 11);
        T[] g = Sample<T>(n, n + 12);
        w0.CopyTo(buffer, offset);
        var update = new DecayBySquare<T>();
        fixed (T* pw = &buffer[offset])
        fixed (T* pg = g)
        {
            switch (driver)
            {
                case "512": ElementwiseKernel.Apply512(pw, pg, (nuint)n, ref update); break;
                case "256": ElementwiseKernel.Apply256(pw, pg, (nuint)n, ref update); break;
                case "128": ElementwiseKernel.Apply128(pw, pg, (nuint)n, ref update); break;
                default: ElementwiseKernel.ApplyScalar(pw, pg, (nuint)n, ref update); break;
            }
        }

        for (int i = 0; i < n; i++)
        {
            T expected = w0[i] - (DecayBySquare<T>.C * g[i] * g[i]);
            if (!BitEqual(expected, buffer[offset + i]))
            {
                Assert.Fail($"{driver}, {typeof(T).Name}, n = {n}, offset = {offset}: w[{i}] = {buffer[offset + i]}, expected {expected}");
            }
        }

        AssertCanaries(buffer.AsSpan(0, offset), n, offset, "before");
        AssertCanaries(buffer.AsSpan(offset + n), n, offset, "after");
    }

    private static void AssertCanaries<T>(Span<T> span, int n, int offset, string where)
        where T : unmanaged
    {
        foreach (byte b in MemoryMarshal.AsBytes(span))
        {
            if (b != Canary)
            {
                Assert.Fail($"n = {n}, offset = {offset}: an element {where} the span was written");
            }
        }
    }

    /// <summary>Seeded values in [−2, 2], never 0, so that every update changes its element.</summary>
    internal static T[] Sample<T>(int n, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[n];
        for (int i = 0; i < n; i++)
        {
            double v = (random.NextDouble() * 2) + 0.01;
            values[i] = T.CreateTruncating(random.Next(2) == 0 ? v : -v);
        }

        return values;
    }

    private static bool BitEqual<T>(T a, T b)
        where T : unmanaged
        => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));

    private static bool BitEqual<T>(T[] a, T[] b)
        where T : unmanaged
        => MemoryMarshal.AsBytes(a.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(b.AsSpan()));
}
