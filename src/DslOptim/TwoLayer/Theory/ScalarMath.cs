using System;

namespace DslOptim.TwoLayer.Theory;

/// <summary>
/// Scalar helpers of the two-layer theory: an accurate eˣ − 1 and a bracketing root finder that refines a sign
/// change to adjacent doubles (Illinois false position, with bisection whenever the bracket fails to halve).
/// </summary>
internal static class ScalarMath
{
    /// <summary>
    /// eˣ − 1 without the cancellation of <c>Math.Exp(x) - 1</c> near 0 (Kahan's trick: u = eˣ rounded, then
    /// (u − 1)·x / log u, whose rounding errors cancel); accurate to a few ulps. (.NET's <c>double.ExpM1</c> is
    /// <c>Exp(x) − 1</c>.)
    /// </summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1.0;
        }
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }
        double um1 = u - 1.0;
        if (um1 == -1.0)
        {
            return -1.0;
        }
        return um1 * x / Math.Log(u);
    }

    /// <summary>
    /// A root of f in [lo, hi] given f(lo) and f(hi) of opposite signs (f(lo) &gt; 0 ≥ f(hi) or the reverse),
    /// refined until lo and hi are adjacent doubles; returns the end whose |f| is smaller.
    /// </summary>
    public static double Refine(Func<double, double> f, double lo, double hi, double fLo, double fHi)
    {
        if (!(lo < hi))
        {
            throw new ArgumentException($"Empty bracket [{lo:R}, {hi:R}].");
        }
        if (fLo == 0.0)
        {
            return lo;
        }
        if (fHi == 0.0)
        {
            return hi;
        }
        if (Math.Sign(fLo) == Math.Sign(fHi))
        {
            throw new ArgumentException($"f does not change sign on [{lo:R}, {hi:R}]: f(lo) = {fLo:R}, f(hi) = {fHi:R}.");
        }
        // Illinois false position; a side kept twice has its value halved. If two consecutive steps do not
        // halve the bracket together, the next step bisects. At most ~2·64 bisections are ever needed.
        int side = 0;
        double width = hi - lo;
        for (int iteration = 0; iteration < 1000; iteration++)
        {
            if (Math.BitIncrement(lo) >= hi)
            {
                break;
            }
            double x;
            if (iteration % 2 == 1 && (hi - lo) > 0.5 * width)
            {
                x = lo + 0.5 * (hi - lo);
            }
            else
            {
                if (iteration % 2 == 0)
                {
                    width = hi - lo;
                }
                x = (lo * fHi - hi * fLo) / (fHi - fLo);
                if (!(x > lo && x < hi))
                {
                    x = lo + 0.5 * (hi - lo);
                }
            }
            if (!(x > lo && x < hi))
            {
                break; // lo + (hi − lo)/2 rounds to an end: adjacent already
            }
            double fx = f(x);
            if (fx == 0.0)
            {
                return x;
            }
            if (Math.Sign(fx) == Math.Sign(fLo))
            {
                lo = x;
                fLo = fx;
                if (side == -1)
                {
                    fHi *= 0.5;
                }
                side = -1;
            }
            else
            {
                hi = x;
                fHi = fx;
                if (side == 1)
                {
                    fLo *= 0.5;
                }
                side = 1;
            }
        }
        // The halved end values are not f's; compare the true ones.
        return Math.Abs(f(lo)) <= Math.Abs(f(hi)) ? lo : hi;
    }
}
