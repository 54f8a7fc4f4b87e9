using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DslOptim.Kernels;

/// <summary>
/// Scalar functions whose semantics differ from the BCL's and must match <see cref="VectorMath"/> exactly.
/// The other scalar functions of generated kernels are the BCL's own (<c>T.Abs</c>, <c>T.Sqrt</c>, <c>T.Exp</c>,
/// <c>T.Log</c>, <c>T.Pow</c>, <c>T.Max</c>, <c>T.Min</c>, <c>T.Tanh</c>, <c>T.Atan</c>, <c>T.Cosh</c>,
/// <c>T.Sinh</c>), which <see cref="VectorMath"/> follows to within the ulps stated on each of its methods.
/// </summary>
public static class ScalarMath
{
    /// <summary>
    /// sign(x) as a value of <typeparamref name="T"/>: +1 for x &gt; 0 (including +∞), −1 for x &lt; 0 (including
    /// −∞), +0 for ±0 and +0 for NaN — unlike <see cref="Math.Sign(double)"/>, which returns an int and throws
    /// <see cref="ArithmeticException"/> on NaN. Bitwise identical to <see cref="VectorMath.Sign{T}(System.Runtime.Intrinsics.Vector128{T})"/>
    /// lane by lane.
    /// </summary>
    /// <typeparam name="T">Any IEEE 754 binary floating-point type (the SIMD layer itself supports float and double).</typeparam>
    /// <param name="x">The value.</param>
    /// <returns>−1, +0 or +1.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sign<T>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Both comparisons are false for ±0 and NaN; T.Zero is +0.
        if (x > T.Zero)
        {
            return T.One;
        }

        return x < T.Zero ? -T.One : T.Zero;
    }
}
