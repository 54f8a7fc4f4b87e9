using System;

namespace DslOptim.Generators.Analysis;

/// <summary>
/// A closed interval [Lo, Hi] of the extended reals with outward rounding, so that every operation's
/// result contains every real result for arguments in the operands: the basis of the analysis's proofs.
/// Sums, products, quotients and square roots round outward only when the floating-point result is
/// inexact (detected with error-free transformations), so exact zeros stay zero (1 − 1 = [0, 0]);
/// library functions are widened by a few ulps and clamped to their ranges. A result that may be NaN
/// is <see cref="Entire"/>.
/// </summary>
internal readonly struct Interval : IEquatable<Interval>
{
    /// <summary>Ulps by which results of System.Math's transcendental functions are widened.</summary>
    private const int LibraryUlps = 4;

    public static readonly Interval Entire = new(double.NegativeInfinity, double.PositiveInfinity);
    public static readonly Interval Zero = new(0, 0);
    public static readonly Interval NonNegative = new(0, double.PositiveInfinity);

    public Interval(double lo, double hi)
    {
        Lo = lo;
        Hi = hi;
    }

    public double Lo { get; }

    public double Hi { get; }

    public static Interval Point(double x) => double.IsNaN(x) ? Entire : new Interval(x, x);

    public bool IsEntire => double.IsNegativeInfinity(Lo) && double.IsPositiveInfinity(Hi);

    public bool IsPoint => Lo == Hi;

    public bool Contains(double x) => Lo <= x && x <= Hi;

    public double Midpoint
    {
        get
        {
            if (double.IsNegativeInfinity(Lo) && double.IsPositiveInfinity(Hi))
            {
                return 0;
            }
            if (double.IsNegativeInfinity(Lo))
            {
                return Hi >= 0 ? -1 : Hi * 16;
            }
            if (double.IsPositiveInfinity(Hi))
            {
                return Lo <= 0 ? 1 : Lo * 16;
            }
            var mid = 0.5 * Lo + 0.5 * Hi;
            // Boxes spanning orders of magnitude split at the geometric mean, so that 1e-300…1 bisects in decades.
            if (Lo > 0 && Hi > 16 * Lo)
            {
                mid = Math.Sqrt(Lo) * Math.Sqrt(Hi);
            }
            else if (Hi < 0 && Lo < 16 * Hi)
            {
                mid = -Math.Sqrt(-Lo) * Math.Sqrt(-Hi);
            }
            return mid;
        }
    }

    public static Interval Hull(Interval a, Interval b) => new(Math.Min(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi));

    public static Interval operator -(Interval a) => new(-a.Hi, -a.Lo);

    public static Interval operator +(Interval a, Interval b)
        => Make(Rounding.AddDown(a.Lo, b.Lo), Rounding.AddUp(a.Hi, b.Hi));

    public static Interval operator -(Interval a, Interval b)
        => Make(Rounding.AddDown(a.Lo, -b.Hi), Rounding.AddUp(a.Hi, -b.Lo));

    public static Interval operator *(Interval a, Interval b)
    {
        if (a.IsPoint && a.Lo == 0 || b.IsPoint && b.Lo == 0)
        {
            return Zero;
        }
        var lo = Math.Min(Math.Min(Rounding.MulDown(a.Lo, b.Lo), Rounding.MulDown(a.Lo, b.Hi)), Math.Min(Rounding.MulDown(a.Hi, b.Lo), Rounding.MulDown(a.Hi, b.Hi)));
        var hi = Math.Max(Math.Max(Rounding.MulUp(a.Lo, b.Lo), Rounding.MulUp(a.Lo, b.Hi)), Math.Max(Rounding.MulUp(a.Hi, b.Lo), Rounding.MulUp(a.Hi, b.Hi)));
        return Make(lo, hi);
    }

    /// <summary>x² for the same x: never negative, unlike x·x of two independent intervals.</summary>
    public Interval Square()
    {
        if (Lo >= 0)
        {
            return Make(Rounding.MulDown(Lo, Lo), Rounding.MulUp(Hi, Hi));
        }
        if (Hi <= 0)
        {
            return Make(Rounding.MulDown(Hi, Hi), Rounding.MulUp(Lo, Lo));
        }
        return Make(0, Math.Max(Rounding.MulUp(Lo, Lo), Rounding.MulUp(Hi, Hi)));
    }

    public static Interval operator /(Interval a, Interval b)
    {
        if (b.Lo > 0 || b.Hi < 0)
        {
            if (a.IsPoint && a.Lo == 0)
            {
                return Zero;
            }
            var lo = Math.Min(Math.Min(Rounding.DivDown(a.Lo, b.Lo), Rounding.DivDown(a.Lo, b.Hi)), Math.Min(Rounding.DivDown(a.Hi, b.Lo), Rounding.DivDown(a.Hi, b.Hi)));
            var hi = Math.Max(Math.Max(Rounding.DivUp(a.Lo, b.Lo), Rounding.DivUp(a.Lo, b.Hi)), Math.Max(Rounding.DivUp(a.Hi, b.Lo), Rounding.DivUp(a.Hi, b.Hi)));
            return Make(lo, hi);
        }
        if (b.Lo == 0 && b.Hi > 0)
        {
            // a / (0, hi]: one-signed numerators give a half line.
            if (a.Lo >= 0 && !(a.IsPoint && a.Lo == 0))
            {
                return Make(Rounding.DivDown(a.Lo, b.Hi), double.PositiveInfinity);
            }
            if (a.Hi <= 0 && !(a.IsPoint && a.Lo == 0))
            {
                return Make(double.NegativeInfinity, Rounding.DivUp(a.Hi, b.Hi));
            }
        }
        if (b.Hi == 0 && b.Lo < 0)
        {
            if (a.Lo >= 0 && !(a.IsPoint && a.Lo == 0))
            {
                return Make(double.NegativeInfinity, Rounding.DivUp(a.Lo, b.Lo));
            }
            if (a.Hi <= 0 && !(a.IsPoint && a.Lo == 0))
            {
                return Make(Rounding.DivDown(a.Hi, b.Lo), double.PositiveInfinity);
            }
        }
        return Entire;
    }

    public Interval Abs()
    {
        if (Lo >= 0)
        {
            return this;
        }
        if (Hi <= 0)
        {
            return -this;
        }
        return new Interval(0, Math.Max(-Lo, Hi));
    }

    public Interval Sign()
    {
        var lo = Lo > 0 ? 1.0 : Lo == 0 ? 0.0 : -1.0;
        var hi = Hi < 0 ? -1.0 : Hi == 0 ? 0.0 : 1.0;
        return new Interval(lo, hi);
    }

    public Interval Sqrt()
    {
        if (Lo < 0)
        {
            return Entire;
        }
        return Make(Rounding.SqrtDown(Lo), Rounding.SqrtUp(Hi));
    }

    public Interval Exp() => Monotone(Math.Exp, 0, double.PositiveInfinity, exactAt: 0, exactValue: 1);

    public Interval Log()
    {
        if (Lo < 0)
        {
            return Entire;
        }
        return Monotone(Math.Log, double.NegativeInfinity, double.PositiveInfinity, exactAt: 1, exactValue: 0);
    }

    public Interval Tanh() => Monotone(Math.Tanh, -1, 1, exactAt: 0, exactValue: 0);

    public Interval Atan() => Monotone(Math.Atan, -Math.PI / 2 - 1e-15, Math.PI / 2 + 1e-15, exactAt: 0, exactValue: 0);

    /// <summary>
    /// atan2(y, x) over a box: atan(y/x) where x &gt; 0, π/2 − atan(x/y) where y &gt; 0, −π/2 − atan(x/y) where y &lt; 0;
    /// a box that meets the branch cut (x ≤ 0, y = 0) or the origin gets the whole range [−π, π].
    /// </summary>
    public static Interval Atan2(Interval y, Interval x)
    {
        var halfPi = new Interval(Math.PI / 2, Rounding.NextUp(Math.PI / 2));
        if (x.Lo > 0)
        {
            return (y / x).Atan();
        }
        if (y.Lo > 0)
        {
            return halfPi - (x / y).Atan();
        }
        if (y.Hi < 0)
        {
            return -halfPi - (x / y).Atan();
        }
        return new Interval(Rounding.NextDown(-Math.PI), Rounding.NextUp(Math.PI));
    }

    public Interval Sinh() => Monotone(Math.Sinh, double.NegativeInfinity, double.PositiveInfinity, exactAt: 0, exactValue: 0);

    public Interval Cosh()
    {
        // Even, decreasing on (−∞, 0], increasing on [0, ∞).
        var a = Abs();
        return a.Monotone(Math.Cosh, 1, double.PositiveInfinity, exactAt: 0, exactValue: 1);
    }

    public static Interval Max(Interval a, Interval b) => new(Math.Max(a.Lo, b.Lo), Math.Max(a.Hi, b.Hi));

    public static Interval Min(Interval a, Interval b) => new(Math.Min(a.Lo, b.Lo), Math.Min(a.Hi, b.Hi));

    /// <summary>x^y: integer exponents by repeated products (even powers are never negative), else exp(y·log x) for x ≥ 0.</summary>
    public static Interval Pow(Interval x, Interval y)
    {
        if (y.IsPoint && y.Lo == Math.Round(y.Lo) && Math.Abs(y.Lo) <= 64)
        {
            var n = (int)y.Lo;
            if (n == 0)
            {
                return new Interval(1, 1);
            }
            var magnitude = IntegerPower(x, Math.Abs(n));
            return n > 0 ? magnitude : new Interval(1, 1) / magnitude;
        }
        if (x.Lo < 0)
        {
            return Entire;
        }
        if (x.Lo == 0)
        {
            if (y.Lo <= 0 || x.Hi == 0)
            {
                return y.Lo > 0 ? Zero : Entire;
            }
            // For y > 0, x^y increases in x: the supremum is at x = x.Hi, at one end of y.
            return new Interval(0, (y * Point(x.Hi).Log()).Exp().Hi);
        }
        return (y * x.Log()).Exp();
    }

    private static Interval IntegerPower(Interval x, int n)
    {
        if (n % 2 == 0)
        {
            var square = x.Square();
            return n == 2 ? square : IntegerPower(square, n / 2);
        }
        return n == 1 ? x : x * IntegerPower(x, n - 1);
    }

    private Interval Monotone(Func<double, double> f, double rangeLo, double rangeHi, double exactAt, double exactValue)
    {
        double lo = Lo == exactAt ? exactValue : Rounding.Widen(f(Lo), -LibraryUlps);
        double hi = Hi == exactAt ? exactValue : Rounding.Widen(f(Hi), LibraryUlps);
        if (double.IsNaN(lo) || double.IsNaN(hi))
        {
            return Entire;
        }
        return new Interval(Math.Max(lo, rangeLo), Math.Min(hi, rangeHi));
    }

    private static Interval Make(double lo, double hi)
        => double.IsNaN(lo) || double.IsNaN(hi) || lo > hi ? Entire : new Interval(lo, hi);

    public bool Equals(Interval other) => Lo.Equals(other.Lo) && Hi.Equals(other.Hi);

    public override bool Equals(object? obj) => obj is Interval other && Equals(other);

    public override int GetHashCode() => Lo.GetHashCode() * 31 + Hi.GetHashCode();

    public override string ToString() => $"[{Lo:R}, {Hi:R}]";
}

/// <summary>Directed rounding by error-free transformations: exact results stay exact, inexact ones move one ulp outward.</summary>
internal static class Rounding
{
    public static double NextUp(double x)
    {
        if (double.IsNaN(x) || double.IsPositiveInfinity(x))
        {
            return x;
        }
        if (x == 0)
        {
            return double.Epsilon;
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        return BitConverter.Int64BitsToDouble(x > 0 ? bits + 1 : bits - 1);
    }

    public static double NextDown(double x) => -NextUp(-x);

    public static double Widen(double x, int ulps)
    {
        for (var i = 0; i < Math.Abs(ulps); i++)
        {
            x = ulps > 0 ? NextUp(x) : NextDown(x);
        }
        return x;
    }

    public static double AddDown(double a, double b)
    {
        var s = a + b;
        return double.IsInfinity(s) || double.IsNaN(s) ? NanToInfinity(s, down: true, a, b) : (SumError(a, b, s) < 0 ? NextDown(s) : s);
    }

    public static double AddUp(double a, double b)
    {
        var s = a + b;
        return double.IsInfinity(s) || double.IsNaN(s) ? NanToInfinity(s, down: false, a, b) : (SumError(a, b, s) > 0 ? NextUp(s) : s);
    }

    public static double MulDown(double a, double b) => Product(a, b, down: true);

    public static double MulUp(double a, double b) => Product(a, b, down: false);

    public static double DivDown(double a, double b) => Quotient(a, b, down: true);

    public static double DivUp(double a, double b) => Quotient(a, b, down: false);

    public static double SqrtDown(double a)
    {
        var r = Math.Sqrt(a);
        return IsExactProduct(r, r, a) ? r : Math.Max(0, NextDown(r));
    }

    public static double SqrtUp(double a)
    {
        var r = Math.Sqrt(a);
        return IsExactProduct(r, r, a) ? r : NextUp(r);
    }

    private static double NanToInfinity(double s, bool down, double a, double b)
    {
        if (!double.IsNaN(s))
        {
            return s;
        }
        // ∞ + (−∞): the endpoint is unbounded in the direction asked for.
        _ = a;
        _ = b;
        return down ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>Knuth's TwoSum: the exact error a + b − s.</summary>
    private static double SumError(double a, double b, double s)
    {
        var bb = s - a;
        return (a - (s - bb)) + (b - bb);
    }

    private static double Product(double a, double b, bool down)
    {
        // 0·∞ = 0 at endpoints: the interval [0, x]·[y, ∞] contains only finite products.
        if (a == 0 || b == 0)
        {
            return 0;
        }
        var p = a * b;
        if (double.IsInfinity(p) || double.IsNaN(p))
        {
            return p;
        }
        if (p == 0)
        {
            // Underflow of a nonzero product: a tiny number of known sign.
            var positive = (a > 0) == (b > 0);
            return down ? (positive ? 0 : -double.Epsilon) : (positive ? double.Epsilon : 0);
        }
        var error = ProductError(a, b, p);
        if (double.IsNaN(error))
        {
            return down ? NextDown(p) : NextUp(p);
        }
        if (down)
        {
            return error < 0 ? NextDown(p) : p;
        }
        return error > 0 ? NextUp(p) : p;
    }

    private static double Quotient(double a, double b, bool down)
    {
        if (a == 0)
        {
            return 0;
        }
        if (double.IsInfinity(a) && double.IsInfinity(b))
        {
            return down ? double.NegativeInfinity : double.PositiveInfinity;
        }
        var q = a / b;
        if (double.IsInfinity(b) || double.IsInfinity(q) || double.IsNaN(q))
        {
            // x/∞ = 0 (as a limit, from the side of the signs); inexact underflow and overflow round outward.
            if (double.IsInfinity(b))
            {
                return q;
            }
            return q;
        }
        if (q == 0)
        {
            // Underflow: the true quotient is a tiny nonzero number of known sign.
            var positive = (a > 0) == (b > 0);
            return down ? (positive ? 0 : -double.Epsilon) : (positive ? double.Epsilon : 0);
        }
        if (IsExactProduct(q, b, a))
        {
            return q;
        }
        // The true quotient lies strictly between q's neighbours; one ulp outward is enough (division is correctly rounded).
        return down ? NextDown(q) : NextUp(q);
    }

    private static bool IsExactProduct(double x, double y, double expected)
    {
        var p = x * y;
        return p == expected && ProductError(x, y, p) == 0;
    }

    /// <summary>Dekker's TwoProduct without FMA (netstandard2.0 has none): the exact error x·y − p, NaN when splitting would overflow.</summary>
    private static double ProductError(double x, double y, double p)
    {
        const double Splitter = 134217729.0; // 2^27 + 1 (Veltkamp)
        if (Math.Abs(x) > 1e290 || Math.Abs(y) > 1e290 || Math.Abs(p) > 1e290 || (p != 0 && Math.Abs(p) < 1e-290))
        {
            return double.NaN;
        }
        var cx = Splitter * x;
        var xh = cx - (cx - x);
        var xl = x - xh;
        var cy = Splitter * y;
        var yh = cy - (cy - y);
        var yl = y - yh;
        return ((xh * yh - p) + xh * yl + xl * yh) + xl * yl;
    }
}
