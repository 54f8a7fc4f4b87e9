using System.Runtime.CompilerServices;

namespace DslOptim.Kernels;

// The functions the BCL does not vectorize (Pow, Tanh, Sinh, Cosh, Atan), written once on double lanes and
// specialized per width through IDoubleVectorOps. Float inputs are widened to double, run through these and
// narrowed back, which rounds the nearly exact double result once: the float results are (nearly always)
// correctly rounded; MathF's own functions differ from them by up to 2 ulp.
//
// Polynomial coefficients were derived for this file (nothing is copied from a libm):
// - Taylor series with exact rational coefficients where the series converges fast (sinh: 1/(2n+1)!,
//   log via atanh: 2/(2n+1)), written as C# constant expressions so the compiler rounds them once;
// - for tanh and atan, a Chebyshev fit (near-minimax, uniform error) of g(z) = f(√z)/√z on the reduced
//   interval, computed in 200-bit arithmetic with mpmath:
//       from mpmath import mp, chebyfit, tanh, atan, sqrt, mpf; mp.prec = 200
//       chebyfit(lambda z: tanh(sqrt(z))/sqrt(z) if z else mpf(1), [0, mpf('0.55')**2], 12)
//       chebyfit(lambda z: atan(sqrt(z))/sqrt(z) if z else mpf(1), [0, mpf('0.25')**2], 10)
//   then rounded to double with the constant term set to exactly 1 (its fitted value is 1 − 6e-19); the
//   rounded polynomials are within 1.2e-18 (tanh) and 9.4e-19 (atan) of g on the whole interval, i.e. far
//   below half an ulp, so the evaluation's own rounding (≈ 1 ulp) dominates the error.
internal static class VectorMathAlgorithms
{
    private const double PositiveInfinity = double.PositiveInfinity;

    // ln 2 split so that k·Ln2Hi is exact for every binary exponent k (|k| ≤ 1075 needs 11 bits; Ln2Hi has
    // 42 significant bits); Ln2Hi + Ln2Lo = ln 2 to about 2^-96.
    private const double Ln2Hi = 0.6931471805598903;       // 0x1.62e42fefa3800p-1
    private const double Ln2Lo = 5.497923018708371e-14;

    // 2/3 as a double-double, for the cubic term of ln m.
    private const double TwoThirdsHi = 0.6666666666666666;
    private const double TwoThirdsLo = 3.700743415417188e-17;

    // Double-double constants: hi = the double nearest the value, lo = value − hi rounded (200-bit reference).
    private const double HalfPiHi = 1.5707963267948966;
    private const double HalfPiLo = 6.123233995736766e-17;
    private const double QuarterPiHi = 0.7853981633974483;
    private const double QuarterPiLo = 3.061616997868383e-17;
    private const double AtanHalfHi = 0.4636476090008061;     // atan(1/2)
    private const double AtanHalfLo = 2.2698777452961687e-17;
    private const double AtanTwoHi = 1.1071487177940904;      // atan(2) = π/2 − atan(1/2)
    private const double AtanTwoLo = 9.40447137356638e-17;

    // Below this |x| tanh uses its polynomial; above, 1 − 2/(e^{2|x|} + 1). At 0.55 tanh ≈ 0.5005, so the
    // subtraction cancels no more than one bit; below it, it would cancel more, hence the polynomial.
    private const double TanhPolynomialBound = 0.55;

    // Below this |x| sinh uses its Taylor series; above, (e^x − e^{−x})/2 cancels at most coth(1) ≈ 1.31×.
    private const double SinhPolynomialBound = 1.0;

    // Above this |x| e^{|x|} overflows (at 709.78) before sinh and cosh do (at 710.48): compute e^{|x| − ln 2}.
    private const double HyperbolicOverflowBound = 709.0;

    /// <summary>tanh x on double lanes: odd polynomial for |x| &lt; 0.55, else 1 − 2/(e^{2|x|} + 1), sign copied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Tanh<TV, TOps>(TV x)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV a = TOps.Abs(x);
        TV z = TOps.Multiply(a, a);

        // tanh a = a + a³·q(a²) with q from the Chebyshev fit above (q = (g − 1)/z); adding the exact leading
        // term last keeps the rounding of the small correction from touching it.
        TV q = TOps.Create(-1.9428993183663042e-05);
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(8.320274178943323e-05));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.00023329605704104197));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.0005884078649141198));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.0014555330088204246));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.0035920903102564794));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.008863232404667668));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.021869488371442865));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.05396825396311858));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.13333333333325045));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.3333333333333328));
        TV small = TOps.FusedMultiplyAdd(TOps.Multiply(a, z), q, a);

        // Saturation: for 2a > 709.78, e = +∞ and 2/(∞ + 1) = 0, so the result is exactly 1, never ∞/∞.
        // NaN flows through e and the comparison below (false for NaN) picks this branch.
        TV e = TOps.Exp(TOps.Add(a, a));
        TV one = TOps.Create(1.0);
        TV large = TOps.Subtract(one, TOps.Divide(TOps.Create(2.0), TOps.Add(e, one)));

        TV r = TOps.Select(TOps.LessThan(a, TOps.Create(TanhPolynomialBound)), small, large);
        return TOps.CopySign(r, x);
    }

    /// <summary>sinh x on double lanes: Taylor series for |x| &lt; 1, else (e^|x| − e^−|x|)/2, sign copied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sinh<TV, TOps>(TV x)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV a = TOps.Abs(x);
        TV z = TOps.Multiply(a, a);

        // sinh a = a + a³ Σ_{n≥1} a^{2n−2}/(2n+1)!; for a < 1 the first omitted term, a^21/21!, is below 2e-20·a.
        TV q = TOps.Create(1.0 / 121645100408832000);   // 1/19!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 355687428096000));       // 1/17!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 1307674368000));         // 1/15!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 6227020800));            // 1/13!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 39916800));              // 1/11!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 362880));                // 1/9!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 5040));                  // 1/7!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 120));                   // 1/5!
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(1.0 / 6));                     // 1/3!
        TV small = TOps.FusedMultiplyAdd(TOps.Multiply(a, z), q, a);

        TV e = TOps.Exp(a);
        TV half = TOps.Create(0.5);
        TV large = TOps.Subtract(TOps.Multiply(half, e), TOps.Divide(half, e));
        large = AvoidEarlyOverflow<TV, TOps>(a, large);

        TV r = TOps.Select(TOps.LessThan(a, TOps.Create(SinhPolynomialBound)), small, large);
        return TOps.CopySign(r, x);
    }

    /// <summary>cosh x on double lanes: (e^|x| + e^−|x|)/2 (no cancellation anywhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Cosh<TV, TOps>(TV x)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        // Near 0, e^a ≈ 1 + a and e^−a ≈ 1 − a add without cancellation: the result keeps about 1 ulp.
        TV a = TOps.Abs(x);
        TV e = TOps.Exp(a);
        TV half = TOps.Create(0.5);
        TV r = TOps.Add(TOps.Multiply(half, e), TOps.Divide(half, e));
        return AvoidEarlyOverflow<TV, TOps>(a, r);
    }

    // For 709 < a ≤ 710.48, e^a overflows although sinh a and cosh a (≈ e^a/2, e^{−a} negligible) do not:
    // compute them as e^{a − ln 2} = e^{a − Ln2Hi}·e^{−Ln2Lo}. a − Ln2Hi is exact (both are multiples of 2^-43
    // there), so only Exp's own error remains; the constant factor e^{−Ln2Lo} = 1 − Ln2Lo to 2^-90. Taken only
    // when some lane needs it, so the usual cost is one comparison.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV AvoidEarlyOverflow<TV, TOps>(TV a, TV r)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV big = TOps.GreaterThan(a, TOps.Create(HyperbolicOverflowBound));
        if (TOps.Any(big))
        {
            TV e = TOps.Exp(TOps.Subtract(a, TOps.Create(Ln2Hi)));
            r = TOps.Select(big, TOps.Multiply(e, TOps.Create(1.0 - Ln2Lo)), r);
        }

        return r;
    }

    /// <summary>
    /// atan x on double lanes. With a = |x|: for a &gt; 1, atan a = π/2 − atan(1/a); then
    /// atan r = atan c + atan((r − c)/(1 + c·r)) with c ∈ {0, ½, 1} nearest r, so the reduced argument u has
    /// |u| ≤ 0.25; atan u = u·g(u²) by the fitted polynomial; atan c (or π/2 − atan c) as a double-double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Atan<TV, TOps>(TV x)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        // Clamping to 2^100 keeps 0·a finite for a = ∞ (the result, π/2, is the same for every a ≥ 2^100); NaN stays NaN.
        TV a = TOps.Min(TOps.Abs(x), TOps.Create(1.2676506002282294E+30));
        TV one = TOps.Create(1.0);
        TV inverted = TOps.GreaterThan(a, one);

        // The reduction point c, chosen on r = a (a ≤ 1) or r = 1/a (a > 1) without computing 1/a:
        // r ≤ ¼ → c = 0; r ≤ ¾ → c = ½; else c = 1. The interval ends only bound |u|, they need not be exact.
        TV cZero = TOps.Select(inverted, TOps.GreaterThanOrEqual(a, TOps.Create(4.0)), TOps.LessThanOrEqual(a, TOps.Create(0.25)));
        TV cHalf = TOps.AndNot(
            TOps.Select(inverted, TOps.GreaterThanOrEqual(a, TOps.Create(4.0 / 3.0)), TOps.LessThanOrEqual(a, TOps.Create(0.75))),
            cZero);
        TV c = TOps.Select(cZero, TOps.Create(0.0), TOps.Select(cHalf, TOps.Create(0.5), one));

        // u = (r − c)/(1 + c·r); for r = 1/a it is (1 − c·a)/(a + c), which avoids rounding 1/a. The numerators
        // are exact (Sterbenz: the operands are within a factor 2 of each other), so u carries ~1 ulp.
        TV ca = TOps.Multiply(c, a);
        TV num = TOps.Select(inverted, TOps.Subtract(one, ca), TOps.Subtract(a, c));
        TV den = TOps.Select(inverted, TOps.Add(a, c), TOps.Add(one, ca));
        TV u = TOps.Divide(num, den);

        // atan u = u + u³·q(u²), q = (g − 1)/z from the Chebyshev fit above.
        TV z = TOps.Multiply(u, u);
        TV q = TOps.Create(-0.03991633751806323);
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.05722407916551634));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.06655216840737169));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.0769180678902856));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.09090895451148827));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.11111110884248476));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.14285714283542306));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(0.19999999999989423));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(-0.33333333333333315));
        TV t = TOps.FusedMultiplyAdd(TOps.Multiply(u, z), q, u);

        // base = atan c, or π/2 − atan c when inverted (0 → π/2, ½ → atan 2, 1 → π/4); result = base ± atan u,
        // adding the low parts first so the sum is rounded once.
        TV baseHi = TOps.Select(cZero,
            TOps.Select(inverted, TOps.Create(HalfPiHi), TOps.Create(0.0)),
            TOps.Select(cHalf, TOps.Select(inverted, TOps.Create(AtanTwoHi), TOps.Create(AtanHalfHi)), TOps.Create(QuarterPiHi)));
        TV baseLo = TOps.Select(cZero,
            TOps.Select(inverted, TOps.Create(HalfPiLo), TOps.Create(0.0)),
            TOps.Select(cHalf, TOps.Select(inverted, TOps.Create(AtanTwoLo), TOps.Create(AtanHalfLo)), TOps.Create(QuarterPiLo)));
        TV signedT = TOps.Select(inverted, TOps.Negate(t), t);
        TV r = TOps.Add(baseHi, TOps.Add(baseLo, signedT));

        // atan is odd: atan(−0) = −0, atan(−∞) = −π/2.
        return TOps.CopySign(r, x);
    }

    /// <summary>
    /// x^y on double lanes, accurate version: e^{y·ln|x|} with ln|x| and the product kept as double-doubles,
    /// then C99/IEEE special cases (see <see cref="PowSpecialCases{TV, TOps}"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Pow<TV, TOps>(TV x, TV y)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV ax = TOps.Abs(x);
        TV logHi = LogDoubleDouble<TV, TOps>(ax, out TV logLo);

        // y·ln|x| = h + l exactly up to the error of ln|x|: the FMA recovers the product's rounding error.
        TV h = TOps.Multiply(y, logHi);
        TV l = TOps.FusedMultiplyAdd(y, logHi, TOps.Negate(h));
        l = TOps.FusedMultiplyAdd(y, logLo, l);

        // e^{h+l} = e^h·(1 + l) to first order (|l| ≤ ulp(h) ≤ 2^-43). When e^h is ±∞/0 or l is not finite the
        // correction would make ∞·0 or ∞ − ∞, so it is applied only when both are finite.
        TV e = TOps.Exp(h);
        TV inf = TOps.Create(PositiveInfinity);
        TV correctable = TOps.And(TOps.LessThan(e, inf), TOps.LessThan(TOps.Abs(l), inf));
        TV r = TOps.Select(correctable, TOps.FusedMultiplyAdd(e, l, e), e);
        return PowSpecialCases<TV, TOps>(x, y, r);
    }

    /// <summary>
    /// x^y on double lanes for float inputs: e^{y·ln|x|} in plain double. Its relative error, about
    /// |y·ln x|·2^-53 ≤ 2^-46 for any float result, is far below a float ulp (2^-24).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV PowForSingle<TV, TOps>(TV x, TV y)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV r = TOps.Exp(TOps.Multiply(y, TOps.Log(TOps.Abs(x))));
        return PowSpecialCases<TV, TOps>(x, y, r);
    }

    /// <summary>
    /// Overrides <paramref name="r"/> (|x|^y for finite nonzero x and finite y) with Math.Pow's results
    /// (C99 Annex F) wherever x or y is special, and applies the sign for negative x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV PowSpecialCases<TV, TOps>(TV x, TV y, TV r)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        TV zero = TOps.Create(0.0);
        TV one = TOps.Create(1.0);
        TV inf = TOps.Create(PositiveInfinity);
        TV ax = TOps.Abs(x);
        TV yNegative = TOps.LessThan(y, zero);

        // y is an integer when floor(y) = y (true for ±∞, false for NaN); odd when moreover y/2 is not an
        // integer (y/2 is exact, and every double ≥ 2^53 is even).
        TV yInteger = TOps.Equals(TOps.Floor(y), y);
        TV halfY = TOps.Multiply(y, TOps.Create(0.5));
        TV yOdd = TOps.AndNot(yInteger, TOps.Equals(TOps.Floor(halfY), halfY));

        // x = ±0 or ±∞ (y finite, nonzero): |x|^y is +∞ exactly when (x = 0) equals (y < 0), else +0.
        TV xZero = TOps.Equals(ax, zero);
        TV xZeroOrInfinite = TOps.Or(xZero, TOps.Equals(ax, inf));
        r = TOps.Select(xZeroOrInfinite, TOps.Select(TOps.Xor(xZero, yNegative), zero, inf), r);

        // Negative x (sign bit, so −0 counts) with odd integer y: (−|x|)^y = −(|x|^y).
        r = TOps.Select(TOps.And(TOps.IsNegative(x), yOdd), TOps.Negate(r), r);

        // y = ±∞: 1 when |x| = 1; +∞ when (|x| < 1) equals (y < 0); else +0. No sign: ±∞ is even.
        TV yInfinite = TOps.Equals(TOps.Abs(y), inf);
        TV rInfinite = TOps.Select(TOps.Xor(TOps.LessThan(ax, one), yNegative), zero, inf);
        r = TOps.Select(yInfinite, TOps.Select(TOps.Equals(ax, one), one, rInfinite), r);

        // Finite negative x with finite non-integer y has no real power: NaN.
        TV xNegativeFinite = TOps.And(TOps.LessThan(x, zero), TOps.LessThan(ax, inf));
        TV nan = TOps.Create(double.NaN);
        r = TOps.Select(TOps.AndNot(xNegativeFinite, yInteger), nan, r);

        // NaN in, NaN out ... except x^0 = 1 for every x (NaN included) and 1^y = 1 for every y (NaN included).
        r = TOps.Select(TOps.Or(TOps.IsNaN(x), TOps.IsNaN(y)), nan, r);
        return TOps.Select(TOps.Or(TOps.Equals(y, zero), TOps.Equals(x, one)), one, r);
    }

    /// <summary>
    /// ln a as hi + lo for finite a &gt; 0 (normal or subnormal), with |error| ≲ 2^-59·|ln m| + 2^-96·|k|
    /// where a = 2^k·m, m ∈ [√½, √2). Other inputs give unspecified values (the caller overrides them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogDoubleDouble<TV, TOps>(TV a, out TV lo)
        where TV : struct
        where TOps : struct, IDoubleVectorOps<TV>
    {
        // Subnormals: scale by 2^54 (18014398509481984) into the normal range and take 54 off the exponent.
        TV subnormal = TOps.LessThan(a, TOps.Create(2.2250738585072014E-308));
        a = TOps.Select(subnormal, TOps.Multiply(a, TOps.Create(18014398509481984.0)), a);

        // k = biased exponent − 1023, converted exactly by placing the 11-bit integer in the mantissa of 2^52.
        TV twoPow52 = TOps.Create(4503599627370496.0);
        TV biased = TOps.Subtract(TOps.Or(TOps.ShiftRightLogical(a, 52), TOps.CreateBits(0x4330000000000000)), twoPow52);
        TV k = TOps.Subtract(biased, TOps.Create(1023.0));
        k = TOps.Subtract(k, TOps.And(subnormal, TOps.Create(54.0)));

        // m ∈ [1, 2) from the mantissa bits; then m ∈ [√½, √2) so that |ln m| ≤ ½ ln 2.
        TV m = TOps.Or(TOps.And(a, TOps.CreateBits(0x000FFFFFFFFFFFFF)), TOps.CreateBits(0x3FF0000000000000));
        TV aboveSqrt2 = TOps.GreaterThan(m, TOps.Create(1.4142135623730951));
        m = TOps.Select(aboveSqrt2, TOps.Multiply(m, TOps.Create(0.5)), m);
        k = TOps.Add(k, TOps.And(aboveSqrt2, TOps.Create(1.0)));

        // ln m = 2·atanh f, f = s/(2 + s), s = m − 1 (exact, Sterbenz). |f| ≤ 0.1716.
        // f as fHi + fLo: 2 + s = dHi + dLo exactly (Fast2Sum), and s − fHi·dHi is exact by FMA.
        TV two = TOps.Create(2.0);
        TV s = TOps.Subtract(m, TOps.Create(1.0));
        TV dHi = TOps.Add(two, s);
        TV dLo = TOps.Add(TOps.Subtract(two, dHi), s);
        TV fHi = TOps.Divide(s, dHi);
        TV residual = TOps.FusedMultiplyAdd(TOps.Negate(fHi), dHi, s);
        residual = TOps.FusedMultiplyAdd(TOps.Negate(fHi), dLo, residual);
        TV fLo = TOps.Divide(residual, dHi);

        // 2·atanh f = 2f + (2/3)f³ + f⁵·Σ_{n≥2} 2f^{2n−4}/(2n+1); with f² ≤ 0.0295 the first omitted term
        // (n = 12) is below 2^-60 relative. Accuracy matters here because Pow multiplies ln|x| by y: for
        // |y·ln|x|| up to 745 the absolute error of ln|x| must stay near 2^-64. So 2f and (2/3)f³ are carried
        // as double-doubles; only the rest (≤ 2^-12 of the total) is plain double.
        TV zHi = TOps.Multiply(fHi, fHi);
        TV zLo = TOps.FusedMultiplyAdd(fHi, fHi, TOps.Negate(zHi));
        TV z = zHi;
        TV q = TOps.Create(2.0 / 23);
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 21));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 19));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 17));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 15));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 13));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 11));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 9));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 7));
        q = TOps.FusedMultiplyAdd(q, z, TOps.Create(2.0 / 5));

        // f³ = (fHi + fLo)³ ≈ fHi·zHi + (fHi·zHi's rounding error + fHi·zLo + 3·zHi·fLo).
        TV cubeHi = TOps.Multiply(zHi, fHi);
        TV cubeLo = TOps.FusedMultiplyAdd(zHi, fHi, TOps.Negate(cubeHi));
        cubeLo = TOps.FusedMultiplyAdd(zLo, fHi, cubeLo);
        cubeLo = TOps.FusedMultiplyAdd(TOps.Multiply(TOps.Create(3.0), zHi), fLo, cubeLo);

        // (2/3)·f³ as pHi + pLo, with 2/3 itself a double-double.
        TV pHi = TOps.Multiply(TOps.Create(TwoThirdsHi), cubeHi);
        TV pLo = TOps.FusedMultiplyAdd(TOps.Create(TwoThirdsHi), cubeHi, TOps.Negate(pHi));
        pLo = TOps.FusedMultiplyAdd(TOps.Create(TwoThirdsHi), cubeLo, pLo);
        pLo = TOps.FusedMultiplyAdd(TOps.Create(TwoThirdsLo), cubeHi, pLo);

        // The rest: f⁵·q = cube·z·q, about 2^-12 of ln m at most.
        TV rest = TOps.Multiply(TOps.Multiply(cubeHi, z), q);

        // ln m = (2fHi + pHi) + (2fLo + pLo + rest), the first sum split exactly by Fast2Sum (|2fHi| ≥ |pHi|).
        TV twoF = TOps.Add(fHi, fHi);
        TV mHi = TOps.Add(twoF, pHi);
        TV mLo = TOps.Subtract(pHi, TOps.Subtract(mHi, twoF));
        mLo = TOps.Add(mLo, TOps.Add(TOps.FusedMultiplyAdd(two, fLo, pLo), rest));

        // ln a = (k·Ln2Hi + mHi) + (k·Ln2Lo + mLo). k·Ln2Hi is exact; Fast2Sum again (|k·Ln2Hi| ≥ ln 2 >
        // |mHi| whenever k ≠ 0, and the error term is 0 when k = 0).
        TV kHi = TOps.Multiply(k, TOps.Create(Ln2Hi));
        TV hi = TOps.Add(kHi, mHi);
        TV sumError = TOps.Subtract(mHi, TOps.Subtract(hi, kHi));
        TV loRaw = TOps.Add(sumError, TOps.FusedMultiplyAdd(k, TOps.Create(Ln2Lo), mLo));

        // Renormalize (Fast2Sum, |hi| ≥ |loRaw|) so that lo is below half an ulp of hi, as the caller's
        // e^{h+l} ≈ e^h·(1 + l) needs.
        TV sum = TOps.Add(hi, loRaw);
        lo = TOps.Subtract(loRaw, TOps.Subtract(sum, hi));
        return sum;
    }
}
