using System;
using Xunit;

namespace DslOptim.Tests.TwoLayer.Theory;

internal static class TheoryAssert
{
    /// <summary>|actual − expected| ≤ tolerance·|expected| (exact equality required when expected is 0).</summary>
    public static void Relative(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(actual - expected);
        Assert.True(error <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {actual:R} (relative error {error / Math.Abs(expected):E2} > {tolerance:E0})");
    }

    /// <summary>
    /// The two-layer problem's independent pieces, written in the tests from the paper: (87) and (88) as printed,
    /// except for exp(η^c) in K̄ (see docs/two-layer-theory.md) — plain Math.Exp, no shared code with the library.
    /// </summary>
    public static double KBar0(double mu, double k, double l0, double a2, double b2, double c, double eta)
        => Math.Sqrt(2 * k * l0) + 6 * k * k * b2 * l0 * eta * eta + k * Math.Exp(Math.Pow(eta, c)) * a2 * (1 + 3 * Math.Sqrt(2 * k * l0) * eta);

    public static double Residual87(double mu, double k, double l0, double a2, double b2, double c, double eta)
        => eta * KBar0(mu, k, l0, a2, b2, c, eta) - 1.0;

    /// <summary>
    /// (88)'s left side 4KL(0)η², right side (1 − exp(−η^c))(1 − Δ), and the scale of the right side's terms
    /// (the sum of their absolute values, for a relative residual that double evaluation can certify). 1 − Δ is
    /// expanded as 2μ̄η − μ̄K̄₀η² − η^d·ρ̄ and eˣ − 1 taken from its Taylor series for small |x|, so tiny η (where
    /// 1 − Δ ≈ 2μα₁η) evaluates without cancellation.
    /// </summary>
    public static (double Left, double Right, double Scale) Sides88(double mu, double k, double l0, double a1, double a2, double b2, double c, double d, double eta)
    {
        double ec = Math.Pow(eta, c);
        double em1 = ExpM1(ec);
        double muBar = mu * (a1 - 2 * a2 * em1);
        double muScale = mu * (a1 + 2 * a2 * em1);
        double kBar = KBar0(mu, k, l0, a2, b2, c, eta);
        double rhoBar = 1 - 2 * muBar * eta + muBar * kBar * eta * eta;
        double ed = Math.Pow(eta, d);
        double oneMinusDelta = 2 * muBar * eta - muBar * kBar * eta * eta - ed * rhoBar;
        double factor = -ExpM1(-ec);
        double left = 4 * k * l0 * eta * eta;
        double scale = left + factor * (2 * muScale * eta + muScale * kBar * eta * eta + ed * Math.Abs(rhoBar));
        return (left, factor * oneMinusDelta, scale);
    }

    /// <summary>eˣ − 1: Taylor series to x¹² for |x| &lt; 0.01, else Math.Exp(x) − 1.</summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) >= 0.01)
        {
            return Math.Exp(x) - 1;
        }
        double term = x, sum = x;
        for (int i = 2; i <= 12; i++)
        {
            term *= x / i;
            sum += term;
        }
        return sum;
    }
}
