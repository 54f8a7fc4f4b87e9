using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DslOptim.Kernels;

namespace DslOptim.Tests.Kernels;

// Probes for the parallel split: updates whose scalar and vector overloads deliberately differ by exactly 1 (the
// vector overloads add 1), so that the result records which path each element took. A parallel pass that sent an
// element to another path than the single-threaded pass (a chunk with its own peel or tail), or updated an element
// twice or never, gives different bits. All values stay small integers plus binary fractions: no rounding anywhere.

/// <summary>w ← w/2 + g, plus 1 on the vector paths.</summary>
internal readonly struct PathProbe<T> : IElementwiseUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static readonly T Half = T.CreateTruncating(0.5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g) => (Half * w) + g;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g) => (Vector128.Create(Half) * w) + g + Vector128<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g) => (Vector256.Create(Half) * w) + g + Vector256<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g) => (Vector512.Create(Half) * w) + g + Vector512<T>.One;
}

/// <summary>One state: s0 ← s0/2 + g (plus 1 on vector paths); w ← w + s0.</summary>
internal readonly struct StatePathProbe1<T> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int StateCount => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3)
    {
        s0 = (PathProbe<T>.Half * s0) + g;
        return w + s0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3)
    {
        s0 = (Vector128.Create(PathProbe<T>.Half) * s0) + g + Vector128<T>.One;
        return w + s0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3)
    {
        s0 = (Vector256.Create(PathProbe<T>.Half) * s0) + g + Vector256<T>.One;
        return w + s0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
    {
        s0 = (Vector512.Create(PathProbe<T>.Half) * s0) + g + Vector512<T>.One;
        return w + s0;
    }
}

/// <summary>Two states (Adam's access pattern): s0 ← s0/2 + g, s1 ← s1/2 + s0 (plus 1 each on vector paths); w ← w − s1.</summary>
internal readonly struct StatePathProbe2<T> : IStatefulUpdate<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int StateCount => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T w, T g, ref T s0, ref T s1, ref T s2, ref T s3)
    {
        s0 = (PathProbe<T>.Half * s0) + g;
        s1 = (PathProbe<T>.Half * s1) + s0;
        return w - s1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> w, Vector128<T> g, ref Vector128<T> s0, ref Vector128<T> s1, ref Vector128<T> s2, ref Vector128<T> s3)
    {
        s0 = (Vector128.Create(PathProbe<T>.Half) * s0) + g + Vector128<T>.One;
        s1 = (Vector128.Create(PathProbe<T>.Half) * s1) + s0 + Vector128<T>.One;
        return w - s1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> w, Vector256<T> g, ref Vector256<T> s0, ref Vector256<T> s1, ref Vector256<T> s2, ref Vector256<T> s3)
    {
        s0 = (Vector256.Create(PathProbe<T>.Half) * s0) + g + Vector256<T>.One;
        s1 = (Vector256.Create(PathProbe<T>.Half) * s1) + s0 + Vector256<T>.One;
        return w - s1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> w, Vector512<T> g, ref Vector512<T> s0, ref Vector512<T> s1, ref Vector512<T> s2, ref Vector512<T> s3)
    {
        s0 = (Vector512.Create(PathProbe<T>.Half) * s0) + g + Vector512<T>.One;
        s1 = (Vector512.Create(PathProbe<T>.Half) * s1) + s0 + Vector512<T>.One;
        return w - s1;
    }
}
