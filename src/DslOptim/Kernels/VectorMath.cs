using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DslOptim.Kernels;

/// <summary>
/// Lane-wise elementary functions on <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/> and
/// <see cref="Vector512{T}"/> of <see cref="float"/> or <see cref="double"/>, with the semantics of
/// <see cref="Math"/> (double) and <see cref="MathF"/> (float) — the vector counterparts of the scalar
/// <c>T.Abs</c>, <c>T.Sqrt</c>, <c>T.Exp</c>, … that generated kernels use in their scalar peel and tail.
/// </summary>
/// <remarks>
/// <para>Every method is generic over <c>T</c> so that generated code can call it for either
/// element type; the <c>typeof(T)</c> tests inside are constants to the JIT, which keeps one branch. Any other
/// <c>T</c> throws <see cref="NotSupportedException"/>.</para>
/// <para>Sqrt, Abs, Max, Min and the double Exp and Log are the BCL's vector functions. Pow, Tanh, Sinh, Cosh
/// and Atan are this library's own, computed on double lanes. Float inputs of every function except Abs, Sqrt, Max, Min and
/// Sign are widened, computed in double and rounded once back to float, which gives (nearly always) the
/// correctly rounded float. The
/// accuracy stated on each method is measured against <see cref="Math"/>/<see cref="MathF"/> by the tests.</para>
/// </remarks>
public static partial class VectorMath
{
    // ---------------------------------------------------------------- Abs

    /// <summary>|x| lane-wise: clears the sign bit, so Abs(−0) = +0, Abs(±∞) = +∞, Abs(NaN) = NaN. Exact.</summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The absolute values.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector128.Abs(x);
    }

    /// <inheritdoc cref="Abs{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector256.Abs(x);
    }

    /// <inheritdoc cref="Abs{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector512.Abs(x);
    }

    // ---------------------------------------------------------------- Sqrt

    /// <summary>
    /// √x lane-wise, correctly rounded (IEEE 754), as <see cref="Math.Sqrt"/>: Sqrt(−0) = −0, Sqrt(+∞) = +∞,
    /// Sqrt(x &lt; 0) = NaN, Sqrt(NaN) = NaN.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The square roots.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector128.Sqrt(x);
    }

    /// <inheritdoc cref="Sqrt{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector256.Sqrt(x);
    }

    /// <inheritdoc cref="Sqrt{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector512.Sqrt(x);
    }

    // ---------------------------------------------------------------- Exp

    /// <summary>
    /// e^x lane-wise: Exp(±0) = 1, Exp(+∞) = +∞, Exp(−∞) = +0, Exp(NaN) = NaN, overflow to +∞ above ln(max)
    /// (709.78 in double, 88.72 in float), underflow through subnormals to +0.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The exponentials.</returns>
    /// <remarks>
    /// Double: the BCL's vector Exp, within 2 ulp of <see cref="Math.Exp"/>. Float: widened, the same double
    /// Exp, rounded once to float — within 1 ulp of <see cref="MathF.Exp"/>. (The BCL's float vector Exp is not
    /// used: in .NET 10 it returns 1.0000001 for Exp(0) and is up to 2 ulp off near 0.)
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unary128<T, ExpFunction>(x);

    /// <inheritdoc cref="Exp{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unary256<T, ExpFunction>(x);

    /// <inheritdoc cref="Exp{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unary512<T, ExpFunction>(x);

    // ---------------------------------------------------------------- Log

    /// <summary>
    /// ln x lane-wise: Log(±0) = −∞, Log(1) = +0, Log(+∞) = +∞, Log(x &lt; 0) = NaN, Log(NaN) = NaN; subnormal
    /// inputs are handled.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The natural logarithms.</returns>
    /// <remarks>
    /// Double: the BCL's vector Log, within 3 ulp of <see cref="Math.Log(double)"/>. Float: widened, the same
    /// double Log, rounded once to float — within 1 ulp of <see cref="MathF.Log(float)"/> (the BCL's float
    /// vector Log is up to 2 ulp off).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unary128<T, LogFunction>(x);

    /// <inheritdoc cref="Log{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unary256<T, LogFunction>(x);

    /// <inheritdoc cref="Log{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Unary512<T, LogFunction>(x);

    // ---------------------------------------------------------------- Max / Min

    /// <summary>
    /// max(x, y) lane-wise with <see cref="Math.Max(double, double)"/>'s IEEE 754:2019 semantics: NaN if either
    /// lane is NaN, and +0 is greater than −0. Exact.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The first lanes.</param>
    /// <param name="y">The second lanes.</param>
    /// <returns>The larger lanes.</returns>
    /// <remarks>
    /// The BCL's Vector Max has these semantics at run time in .NET 10; note that the JIT folds Max of two
    /// <em>constant</em> non-uniform vectors with the hardware's (x86 maxpd) rule instead, which returns the
    /// second operand for NaN and for ±0 pairs — fold such constants in scalar code rather than in vectors.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max<T>(Vector128<T> x, Vector128<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector128.Max(x, y);
    }

    /// <inheritdoc cref="Max{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max<T>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector256.Max(x, y);
    }

    /// <inheritdoc cref="Max{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max<T>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector512.Max(x, y);
    }

    /// <summary>
    /// min(x, y) lane-wise with <see cref="Math.Min(double, double)"/>'s IEEE 754:2019 semantics: NaN if either
    /// lane is NaN, and −0 is less than +0. Exact.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The first lanes.</param>
    /// <param name="y">The second lanes.</param>
    /// <returns>The smaller lanes.</returns>
    /// <remarks>The caveat on constant folding stated for <see cref="Max{T}(Vector128{T}, Vector128{T})"/> applies.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Min<T>(Vector128<T> x, Vector128<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector128.Min(x, y);
    }

    /// <inheritdoc cref="Min{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Min<T>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector256.Min(x, y);
    }

    /// <inheritdoc cref="Min{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Min<T>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        return Vector512.Min(x, y);
    }

    // ---------------------------------------------------------------- Sign

    /// <summary>
    /// sign(x) lane-wise as a value of <typeparamref name="T"/>: +1 for x &gt; 0 (including +∞), −1 for x &lt; 0
    /// (including −∞), +0 for ±0 — and +0 for NaN, where <see cref="Math.Sign(double)"/> throws
    /// <see cref="ArithmeticException"/>: a kernel cannot throw per lane, and 0 is what a subgradient of |x|
    /// would pick. Exact; agrees with <see cref="ScalarMath.Sign{T}(T)"/> on every input.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>−1, +0 or +1 in each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sign<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();

        // (x > 0 ? 1 : 0) − (x < 0 ? 1 : 0): both comparisons are false for ±0 and NaN, giving +0 − +0 = +0.
        Vector128<T> one = Vector128<T>.One;
        return (Vector128.GreaterThan(x, Vector128<T>.Zero) & one) - (Vector128.LessThan(x, Vector128<T>.Zero) & one);
    }

    /// <inheritdoc cref="Sign{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sign<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        Vector256<T> one = Vector256<T>.One;
        return (Vector256.GreaterThan(x, Vector256<T>.Zero) & one) - (Vector256.LessThan(x, Vector256<T>.Zero) & one);
    }

    /// <inheritdoc cref="Sign{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sign<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SimdGuard.ThrowIfNotSupported<T>();
        Vector512<T> one = Vector512<T>.One;
        return (Vector512.GreaterThan(x, Vector512<T>.Zero) & one) - (Vector512.LessThan(x, Vector512<T>.Zero) & one);
    }

    // ---------------------------------------------------------------- Pow

    /// <summary>
    /// x^y lane-wise with the special cases of <see cref="Math.Pow"/> (C99 Annex F): y = ±0 → 1 for every x,
    /// NaN included; x = 1 → 1 for every y, NaN included; otherwise NaN in → NaN out; x &lt; 0 finite with y
    /// finite and not an integer → NaN; x &lt; 0 with integer y → ±|x|^y, negative for odd y; x = ±0 →
    /// +0 for y &gt; 0, +∞ for y &lt; 0, with the sign of x for odd integer y (Pow(−0, −1) = −∞);
    /// x = ±∞ → +∞ for y &gt; 0, +0 for y &lt; 0, negative for x = −∞ and odd y; y = ±∞ → 1 for |x| = 1,
    /// else +∞ or +0 according to whether |x| &lt; 1 and y &lt; 0 agree.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The bases.</param>
    /// <param name="y">The exponents.</param>
    /// <returns>The powers.</returns>
    /// <remarks>
    /// In general x^y = ±e^{y·ln|x|}. For double, ln|x| and y·ln|x| are carried as double-doubles (an FMA
    /// recovers the product's rounding) and e^{h+l} = e^h·(1 + l), so the error does not grow with
    /// |y·ln|x|| (up to the 745 of the underflow threshold): within 3 ulp of <see cref="Math.Pow"/>, most of it
    /// the BCL Exp's own error. Float is computed as e^{y·ln|x|} in double and rounded once: within
    /// 1 ulp of <see cref="MathF.Pow"/>. Subnormal results carry the absolute error of their double
    /// computation, as any pow does.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Pow<T>(Vector128<T> x, Vector128<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary128<T, PowFunction>(x, y);

    /// <inheritdoc cref="Pow{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow<T>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary256<T, PowFunction>(x, y);

    /// <inheritdoc cref="Pow{T}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Pow<T>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Binary512<T, PowFunction>(x, y);

    // ---------------------------------------------------------------- Tanh

    /// <summary>
    /// tanh x lane-wise, as <see cref="Math.Tanh"/>: odd (Tanh(−0) = −0), Tanh(±∞) = ±1, NaN → NaN; it
    /// saturates to exactly ±1 for large |x| without forming ∞/∞.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The hyperbolic tangents.</returns>
    /// <remarks>
    /// For |x| &lt; 0.55, x + x³·q(x²) with q of degree 10 fitted to tanh (an odd polynomial of degree 23 whose
    /// error is below 1.2e-18 relative); above, 1 − 2/(e^{2|x|} + 1), where tanh ≥ ½ so the subtraction loses at most a
    /// bit. Double: within 3 ulp of <see cref="Math.Tanh"/>; float: within 2 ulp of <see cref="MathF.Tanh"/>, whose
    /// own error accounts for the difference (the float results checked against a 200-bit reference were
    /// correctly rounded).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Tanh<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary128<T, TanhFunction>(x);

    /// <inheritdoc cref="Tanh{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary256<T, TanhFunction>(x);

    /// <inheritdoc cref="Tanh{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Tanh<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary512<T, TanhFunction>(x);

    // ---------------------------------------------------------------- Sinh

    /// <summary>
    /// sinh x lane-wise, as <see cref="Math.Sinh"/>: odd (Sinh(−0) = −0), Sinh(±∞) = ±∞, NaN → NaN,
    /// overflow to ±∞ only where sinh itself exceeds the largest finite value (|x| &gt; 710.47 in double).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The hyperbolic sines.</returns>
    /// <remarks>
    /// For |x| &lt; 1, the Taylor series x + x³/3! + … + x¹⁹/19!, which avoids the cancellation of
    /// (e^x − e^{−x})/2 near 0; above, that formula (it cancels at most a factor coth 1 ≈ 1.31), and for
    /// |x| &gt; 709 (where e^|x| overflows first) e^{|x| − ln 2} with ln 2 split so the subtraction is exact. Double: within 4 ulp of
    /// <see cref="Math.Sinh"/> (most of it is the BCL Exp's error); float: within 2 ulp of <see cref="MathF.Sinh"/>,
    /// as for Tanh.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sinh<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary128<T, SinhFunction>(x);

    /// <inheritdoc cref="Sinh{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sinh<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary256<T, SinhFunction>(x);

    /// <inheritdoc cref="Sinh{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sinh<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary512<T, SinhFunction>(x);

    // ---------------------------------------------------------------- Cosh

    /// <summary>
    /// cosh x lane-wise, as <see cref="Math.Cosh"/>: even, Cosh(±0) = 1, Cosh(±∞) = +∞, NaN → NaN, overflow to
    /// +∞ only where cosh itself exceeds the largest finite value (|x| &gt; 710.47 in double).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The hyperbolic cosines.</returns>
    /// <remarks>
    /// (e^|x| + e^{−|x|})/2, which never cancels; for |x| &gt; 709, e^{|x| − ln 2}. Double: within 2 ulp
    /// of <see cref="Math.Cosh"/>; float: within 2 ulp of <see cref="MathF.Cosh"/>, as for Tanh.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Cosh<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary128<T, CoshFunction>(x);

    /// <inheritdoc cref="Cosh{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Cosh<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary256<T, CoshFunction>(x);

    /// <inheritdoc cref="Cosh{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Cosh<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary512<T, CoshFunction>(x);

    // ---------------------------------------------------------------- Atan

    /// <summary>
    /// atan x lane-wise in radians, in [−π/2, π/2], as <see cref="Math.Atan"/>: odd (Atan(−0) = −0),
    /// Atan(±∞) = ±π/2 (the double nearest), NaN → NaN.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>; others throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="x">The lanes.</param>
    /// <returns>The arctangents.</returns>
    /// <remarks>
    /// Range reduction: |x| &gt; 1 → π/2 − atan(1/|x|); then atan r = atan c + atan((r − c)/(1 + c·r)) with
    /// c ∈ {0, ½, 1}, leaving |u| ≤ ¼ for a degree-19 odd polynomial fitted to atan (error below 1e-18
    /// relative); atan c and π/2 are added as double-doubles. Double: within 2 ulp of <see cref="Math.Atan"/>;
    /// float: within 1 ulp of <see cref="MathF.Atan"/>.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Atan<T>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary128<T, AtanFunction>(x);

    /// <inheritdoc cref="Atan{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Atan<T>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary256<T, AtanFunction>(x);

    /// <inheritdoc cref="Atan{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Atan<T>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T> => Unary512<T, AtanFunction>(x);

    // ---------------------------------------------------------------- plumbing

    // Runs a double-lane algorithm on T lanes: directly for double; for float, widened into two double
    // vectors and narrowed back (one rounding to float at the end).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Unary128<T, TFunction>(Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IDoubleVectorFunction
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<Vector128<double>, DoubleOps128>(x.As<T, double>()).As<double, T>();
        }

        SimdGuard.ThrowIfNotSupported<T>();
        (Vector128<double> lower, Vector128<double> upper) = Vector128.Widen(x.As<T, float>());
        return Vector128.Narrow(
            TFunction.Invoke<Vector128<double>, DoubleOps128>(lower),
            TFunction.Invoke<Vector128<double>, DoubleOps128>(upper)).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Unary256<T, TFunction>(Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IDoubleVectorFunction
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<Vector256<double>, DoubleOps256>(x.As<T, double>()).As<double, T>();
        }

        SimdGuard.ThrowIfNotSupported<T>();
        (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(x.As<T, float>());
        return Vector256.Narrow(
            TFunction.Invoke<Vector256<double>, DoubleOps256>(lower),
            TFunction.Invoke<Vector256<double>, DoubleOps256>(upper)).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Unary512<T, TFunction>(Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IDoubleVectorFunction
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<Vector512<double>, DoubleOps512>(x.As<T, double>()).As<double, T>();
        }

        SimdGuard.ThrowIfNotSupported<T>();
        (Vector512<double> lower, Vector512<double> upper) = Vector512.Widen(x.As<T, float>());
        return Vector512.Narrow(
            TFunction.Invoke<Vector512<double>, DoubleOps512>(lower),
            TFunction.Invoke<Vector512<double>, DoubleOps512>(upper)).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Binary128<T, TFunction>(Vector128<T> x, Vector128<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IDoubleVectorBinaryFunction
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<Vector128<double>, DoubleOps128>(x.As<T, double>(), y.As<T, double>()).As<double, T>();
        }

        SimdGuard.ThrowIfNotSupported<T>();
        (Vector128<double> xLo, Vector128<double> xHi) = Vector128.Widen(x.As<T, float>());
        (Vector128<double> yLo, Vector128<double> yHi) = Vector128.Widen(y.As<T, float>());
        return Vector128.Narrow(
            TFunction.InvokeForSingle<Vector128<double>, DoubleOps128>(xLo, yLo),
            TFunction.InvokeForSingle<Vector128<double>, DoubleOps128>(xHi, yHi)).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Binary256<T, TFunction>(Vector256<T> x, Vector256<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IDoubleVectorBinaryFunction
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<Vector256<double>, DoubleOps256>(x.As<T, double>(), y.As<T, double>()).As<double, T>();
        }

        SimdGuard.ThrowIfNotSupported<T>();
        (Vector256<double> xLo, Vector256<double> xHi) = Vector256.Widen(x.As<T, float>());
        (Vector256<double> yLo, Vector256<double> yHi) = Vector256.Widen(y.As<T, float>());
        return Vector256.Narrow(
            TFunction.InvokeForSingle<Vector256<double>, DoubleOps256>(xLo, yLo),
            TFunction.InvokeForSingle<Vector256<double>, DoubleOps256>(xHi, yHi)).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Binary512<T, TFunction>(Vector512<T> x, Vector512<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : struct, IDoubleVectorBinaryFunction
    {
        if (typeof(T) == typeof(double))
        {
            return TFunction.Invoke<Vector512<double>, DoubleOps512>(x.As<T, double>(), y.As<T, double>()).As<double, T>();
        }

        SimdGuard.ThrowIfNotSupported<T>();
        (Vector512<double> xLo, Vector512<double> xHi) = Vector512.Widen(x.As<T, float>());
        (Vector512<double> yLo, Vector512<double> yHi) = Vector512.Widen(y.As<T, float>());
        return Vector512.Narrow(
            TFunction.InvokeForSingle<Vector512<double>, DoubleOps512>(xLo, yLo),
            TFunction.InvokeForSingle<Vector512<double>, DoubleOps512>(xHi, yHi)).As<float, T>();
    }

    /// <summary>
    /// A binary algorithm on double lanes of any width, passed to the Binary drivers as a type: <c>Invoke</c> for double
    /// input, <c>InvokeForSingle</c> for float input widened to double (rounded once to float afterwards).
    /// </summary>
    private interface IDoubleVectorBinaryFunction
    {
        static abstract TV Invoke<TV, TOps>(TV x, TV y)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV>;

        static abstract TV InvokeForSingle<TV, TOps>(TV x, TV y)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV>;
    }

    private readonly struct PowFunction : IDoubleVectorBinaryFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x, TV y)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => VectorMathAlgorithms.Pow<TV, TOps>(x, y);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV InvokeForSingle<TV, TOps>(TV x, TV y)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => VectorMathAlgorithms.PowForSingle<TV, TOps>(x, y);
    }

    /// <summary>A unary algorithm on double lanes of any width, passed to the Unary drivers as a type.</summary>
    private interface IDoubleVectorFunction
    {
        static abstract TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV>;
    }

    private readonly struct ExpFunction : IDoubleVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => TOps.Exp(x);
    }

    private readonly struct LogFunction : IDoubleVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => TOps.Log(x);
    }

    private readonly struct TanhFunction : IDoubleVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => VectorMathAlgorithms.Tanh<TV, TOps>(x);
    }

    private readonly struct SinhFunction : IDoubleVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => VectorMathAlgorithms.Sinh<TV, TOps>(x);
    }

    private readonly struct CoshFunction : IDoubleVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => VectorMathAlgorithms.Cosh<TV, TOps>(x);
    }

    private readonly struct AtanFunction : IDoubleVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Invoke<TV, TOps>(TV x)
            where TV : struct
            where TOps : struct, IDoubleVectorOps<TV> => VectorMathAlgorithms.Atan<TV, TOps>(x);
    }
}
