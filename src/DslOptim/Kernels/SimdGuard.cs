using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DslOptim.Kernels;

/// <summary>The element types the SIMD layer supports, checked in one place.</summary>
internal static class SimdGuard
{
    /// <summary>
    /// Throws <see cref="NotSupportedException"/> unless <typeparamref name="T"/> is <see cref="float"/> or
    /// <see cref="double"/>. For those two the JIT folds the test away, so the check costs nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfNotSupported<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            ThrowNotSupported(typeof(T));
        }
    }

    // Kept out of line so that the guard above stays small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotSupported(Type type) =>
        throw new NotSupportedException(
            $"The SIMD kernels support float and double only, not {type.Name}.");
}
