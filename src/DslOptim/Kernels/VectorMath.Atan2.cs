using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

public static partial class VectorMath
{
    // ---------------------------------------------------------------- Atan2

    /// <summary>
    /// atan2(y, x) lane-wise in radians, in [−π, π], as <see cref="Math.Atan2"/>: the angle of the point (x, y),
    /// with the C99/IEEE special cases — atan2(±0, +0) = ±0, atan2(±0, −0) = ±π, atan2(±0, x &lt; 0) = ±π,
    /// atan2(y ≠ 0, ±0) = ±π/2, atan2(±∞, +∞) = ±π/4, atan2(±∞, −∞) = ±3π/4, atan2(±∞, finite) = ±π/2,
    /// atan2(finite y, +∞) = ±0, atan2(finite y, −∞) = ±π; NaN in either argument gives NaN.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="y">The ordinates (the numerator of y/x).</param>
    /// <param name="x">The abscissas.</param>
    /// <returns>The angles.</returns>
    /// <remarks>
    /// With a = atan(r), r = min(|x|, |y|)/max(|x|, |y|) ∈ [0, 1] (this library's <see cref="Atan{T}(Vector128{T})"/>
    /// algorithm), the result is one of a, π/2 − a, π − a, π/2 + a, the constant added as a double-double so the sum
    /// is rounded once, and takes the sign of y. Double: within 2 ulp of <see cref="Math.Atan2"/> (measured by the
    /// tests over all quadrants, ±0, ±∞, NaN and ratios from 1e-300 to 1e300); float: computed in double and rounded
    /// once, within 1 ulp of <see cref="MathF.Atan2"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Atan2<T>(Vector128<T> y, Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary128<T, Atan2Function>(y, x);

    /// <inheritdoc cref="Atan2{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Atan2<T>(Vector256<T> y, Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary256<T, Atan2Function>(y, x);

    /// <inheritdoc cref="Atan2{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Atan2<T>(Vector512<T> y, Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary512<T, Atan2Function>(y, x);

    private readonly struct Atan2Function : IDoubleVectorBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV y, TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => Atan2Algorithm.Atan2<TV, TOps>(y, x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV InvokeForSingle<TV, TOps>(TV y, TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => Atan2Algorithm.Atan2<TV, TOps>(y, x);
    }
}

/// <summary>atan2 on double lanes of any width, reduced to this library's atan on [0, 1].</summary>
internal static class Atan2Algorithm
{
    // Double-double constants: hi = the double nearest the value, lo = value − hi rounded.
    private const double HalfPiHi = 1.5707963267948966;
    private const double HalfPiLo = 6.123233995736766e-17;
    private const double PiHi = 3.141592653589793;
    private const double PiLo = 1.2246467991473532e-16;

    /// <summary>
    /// The angle of (x, y): a = atan(min/max of |x|, |y|), then base ± a with base ∈ {0, π/2, π} by octant
    /// (|y| &gt; |x| swaps, a negative x — −0 included — reflects), and the sign of y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Atan2<TV, TOps>(TV y, TV x)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV ax = TOps.Abs(x);
        TV ay = TOps.Abs(y);
        TV zero = TOps.Create(0.0);
        TV one = TOps.Create(1.0);

        // r = min/max ∈ [0, 1], rounded once; 0/0 (the origin) is 0 and ∞/∞ (both infinite) is 1 (the ±π/4 cases).
        TV swap = TOps.GreaterThan(ay, ax);
        TV num = TOps.Select(swap, ax, ay);
        TV den = TOps.Select(swap, ay, ax);
        TV r = TOps.Divide(num, den);
        r = TOps.Select(TOps.Equals(num, TOps.Create(double.PositiveInfinity)), one, r);
        r = TOps.Select(TOps.Equals(den, zero), zero, r);
        TV a = VectorMathAlgorithms.Atan<TV, TOps>(r);

        // Octants: a (|y| ≤ |x|, x ≥ 0), π/2 − a (|y| > |x|, x ≥ 0), π − a (|y| ≤ |x|, x < 0), π/2 + a (|y| > |x|, x < 0).
        TV negative = TOps.IsNegative(x);
        TV baseHi = TOps.Select(swap, TOps.Create(HalfPiHi), TOps.Select(negative, TOps.Create(PiHi), zero));
        TV baseLo = TOps.Select(swap, TOps.Create(HalfPiLo), TOps.Select(negative, TOps.Create(PiLo), zero));
        TV signed = TOps.Select(TOps.Xor(swap, negative), TOps.Negate(a), a);
        TV angle = TOps.Add(baseHi, TOps.Add(baseLo, signed));
        angle = TOps.CopySign(angle, y);

        TV nan = TOps.Or(TOps.IsNaN(x), TOps.IsNaN(y));
        return TOps.Select(nan, TOps.Add(x, y), angle);
    }
}
