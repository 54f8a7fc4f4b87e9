using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// Single-threaded entry points into the drivers' cores, for callers that do their own parallel split
/// (<see cref="ParameterSetKernel"/> runs one slice per work item). A thin wrapper: the same width dispatch as
/// <see cref="ElementwiseKernel"/> and <see cref="StatefulKernel"/>, without their
/// validation (the caller validated once for all slices) and guaranteed never to fan out to other threads, whatever
/// the public drivers do.
/// </summary>
internal static class SliceKernels
{
    /// <summary>w[i] ← u(w[i], g[i]) on one thread; the spans have the same length (not checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Elementwise<T, TUpdate>(Span<T> w, ReadOnlySpan<T> g, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IElementwiseUpdate<T>
    {
        nuint n = (nuint)w.Length;
        fixed (T* pw = w)
        fixed (T* pg = g)
        {
            if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
            {
                ElementwiseKernel.Apply512(pw, pg, n, ref u);
            }
            else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
            {
                ElementwiseKernel.Apply256(pw, pg, n, ref u);
            }
            else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
            {
                ElementwiseKernel.Apply128(pw, pg, n, ref u);
            }
            else
            {
                ElementwiseKernel.ApplyScalar(pw, pg, n, ref u);
            }
        }
    }

    /// <summary>The fused stateful update on one thread; used states have the length of w, unused ones are empty (not checked).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Stateful<T, TUpdate>(Span<T> w, ReadOnlySpan<T> g, Span<T> s0, Span<T> s1, Span<T> s2, Span<T> s3, ref TUpdate u)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TUpdate : struct, IStatefulUpdate<T>
    {
        nuint n = (nuint)w.Length;
        fixed (T* pw = w)
        fixed (T* pg = g)
        fixed (T* p0 = s0)
        fixed (T* p1 = s1)
        fixed (T* p2 = s2)
        fixed (T* p3 = s3)
        {
            if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
            {
                StatefulKernel.Apply512(pw, pg, p0, p1, p2, p3, n, ref u);
            }
            else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
            {
                StatefulKernel.Apply256(pw, pg, p0, p1, p2, p3, n, ref u);
            }
            else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
            {
                StatefulKernel.Apply128(pw, pg, p0, p1, p2, p3, n, ref u);
            }
            else
            {
                StatefulKernel.ApplyScalar(pw, pg, p0, p1, p2, p3, n, ref u);
            }
        }
    }
}
