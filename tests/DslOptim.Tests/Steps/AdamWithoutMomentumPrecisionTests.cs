using System;
using System.Numerics;
using DslOptim.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Tests.Steps;

/// <summary>
/// Adam without momentum for gradient entries much smaller than ε: the step is w ← w − η·g/(ε + |g|) (paper eq. 7), and
/// the generated φ′(z) = z/(ε + |z|) keeps every digit at |g| ≈ 10⁻¹²·ε, where the unsimplified
/// sign(z) − ε·(sign(z)/(ε + |z|)) subtracts two numbers that agree to 12 digits. Expected values are exact rationals of
/// the inputs (<see cref="Dyadic"/>), not another floating-point formula.
/// </summary>
public sealed class AdamWithoutMomentumPrecisionTests
{
    private const double Eps = 0.5;

    /// <summary>η = 2⁻⁷: exact in float too, so η·φ′ is exact and the kernel's only roundings are in ε + |g| and the quotient.</summary>
    private const double Eta = 0.0078125;

    /// <summary>u = 2⁻⁵³: double's unit roundoff.</summary>
    private static readonly double DoubleRoundoff = Math.Pow(2, -53);

    /// <summary>2⁻²⁴: float's unit roundoff.</summary>
    private static readonly double FloatRoundoff = Math.Pow(2, -24);

    private static AdamWithoutMomentum Optimizer => new() { Eps = Eps, Eta = Eta };

    /// <summary>
    /// 19 entries (vector lanes and a scalar tail) ±c·10⁻¹²·ε with c from 1 to 2 in steps of 1/18: not exact multiples of
    /// ulp(ε), so ε + |g| rounds.
    /// </summary>
    private static T[] Gradient<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new T[19];
        for (var i = 0; i < g.Length; i++)
        {
            var magnitude = 1e-12 * Eps * (1 + i / 18.0);
            g[i] = T.CreateTruncating(i % 3 == 1 ? -magnitude : magnitude);
        }
        return g;
    }

    /// <summary>|w − w*|/|w*| for w* = −η·g/(ε + |g|) (the step from w = 0), exactly: |w·(ε + |g|) + η·g| / |η·g|.</summary>
    private static double RelativeError(double w, double g) =>
        Dyadic.Ratio(Dyadic.Of(w) * (Dyadic.Of(Eps) + Dyadic.Of(Math.Abs(g))) + Dyadic.Of(Eta) * Dyadic.Of(g), Dyadic.Of(Eta) * Dyadic.Of(g));

    /// <summary>The step from w = 0 as the unsimplified φ′ = t − ε·(t/(ε + |g|)), t = sign(g), made it, in the kernel's precision.</summary>
    private static double OldStep<T>(double gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (g, eps, eta) = (T.CreateTruncating(gradient), T.CreateTruncating(Eps), T.CreateTruncating(Eta));
        var t0 = g > T.Zero ? T.One : g < T.Zero ? -T.One : T.Zero;
        return double.CreateTruncating(T.Zero - eta * (t0 - eps * (t0 / (eps + T.Abs(g)))));
    }

    [Fact]
    public void The_inputs_are_what_the_test_says()
    {
        foreach (var g in Gradient<double>())
        {
            Assert.InRange(Math.Abs(g) / Eps, 1e-12, 2e-12);
            // ε + |g| is not exact: the old form's cancellation has a rounding to expose.
            Assert.NotEqual(Dyadic.Of(Eps) + Dyadic.Of(Math.Abs(g)), Dyadic.Of(Eps + Math.Abs(g)));
        }
        Assert.Equal(Eta, (double)(float)Eta);
        Assert.Equal(Eps, (double)(float)Eps);
    }

    /// <summary>
    /// double: ε + |g| and g/(ε + |g|) round once each, η·φ′ and 0 − η·φ′ are exact, so |error| ≤ 2u + u² &lt; 3u. The old
    /// form keeps the roundings of ε + |g| and of t/(ε + |g|), each up to u·ε/|g| ≈ 10¹²·u relative.
    /// </summary>
    [Fact]
    public void Double_step_at_a_tiny_gradient_is_accurate_to_a_few_roundings()
    {
        var g = Gradient<double>();
        var w = new double[g.Length];
        Optimizer.Step(w, g, 1);
        var tolerance = 3 * DoubleRoundoff;
        for (var i = 0; i < g.Length; i++)
        {
            var error = RelativeError(w[i], g[i]);
            Assert.True(error <= tolerance, $"element {i}: w = {w[i]:R}, relative error {error:R} > {tolerance:R}");
            var oldError = RelativeError(OldStep<double>(g[i]), g[i]);
            Assert.True(oldError > 1e6 * tolerance, $"element {i}: the old form's relative error {oldError:R} was expected to fail the tolerance");
        }
    }

    /// <summary>
    /// float: the kernel computes in float; ε + |g| rounds to ε (relative error |g|/ε ≤ 2·10⁻¹², below one float rounding)
    /// and the quotient rounds once, so |error| &lt; 3u_float. The old form computes sign(g) − ε·(sign(g)/ε) = 0: the step
    /// does not move at all (relative error 1).
    /// </summary>
    [Fact]
    public void Float_step_at_a_tiny_gradient_is_accurate_to_a_few_roundings()
    {
        var g = Gradient<float>();
        var w = new float[g.Length];
        Optimizer.Step(w, g, 1);
        var tolerance = 3 * FloatRoundoff;
        for (var i = 0; i < g.Length; i++)
        {
            var error = RelativeError(w[i], g[i]);
            Assert.True(error <= tolerance, $"element {i}: w = {w[i]:R}, relative error {error:R} > {tolerance:R}");
            Assert.Equal(0.0, OldStep<float>(g[i]));
            Assert.Equal(1.0, RelativeError(OldStep<float>(g[i]), g[i]));
        }
    }

    /// <summary>The parameter-set step runs the same per-element update (two tensors of 10 and 9 entries).</summary>
    [Fact]
    public void Parameter_set_step_at_a_tiny_gradient_is_accurate_to_a_few_roundings()
    {
        var g = Gradient<double>();
        var w0 = new double[10];
        var w1 = new double[9];
        var set = new ParameterSet<double>();
        set.Add(w0, g.AsMemory(0, 10));
        set.Add(w1, g.AsMemory(10, 9));
        Optimizer.Step(set, 1);
        var tolerance = 3 * DoubleRoundoff;
        for (var i = 0; i < g.Length; i++)
        {
            var w = i < 10 ? w0[i] : w1[i - 10];
            var error = RelativeError(w, g[i]);
            Assert.True(error <= tolerance, $"element {i}: w = {w:R}, relative error {error:R} > {tolerance:R}");
        }
    }

    /// <summary>φ′(z) = z/(ε + |z|) rounds twice; sign(z) − ε·(sign(z)/(ε + |z|)) would be off by about 10⁻⁴ relative.</summary>
    [Fact]
    public void Derivative_at_a_tiny_gradient_is_accurate_to_two_roundings()
    {
        foreach (var z in Gradient<double>())
        {
            var phiPrime = Optimizer.PhiPrime(z);
            // |φ′ − z/(ε + |z|)|/|z/(ε + |z|)| = |φ′·(ε + |z|) − z|/|z|, exactly.
            var error = Dyadic.Ratio(Dyadic.Of(phiPrime) * (Dyadic.Of(Eps) + Dyadic.Of(Math.Abs(z))) - Dyadic.Of(z), Dyadic.Of(z));
            Assert.True(error <= 2 * DoubleRoundoff * (1 + DoubleRoundoff), $"φ′({z:R}) = {phiPrime:R}, relative error {error:R}");
            var sign = (double)Math.Sign(z);
            var old = sign - Eps * (sign / (Eps + Math.Abs(z)));
            var oldError = Dyadic.Ratio(Dyadic.Of(old) * (Dyadic.Of(Eps) + Dyadic.Of(Math.Abs(z))) - Dyadic.Of(z), Dyadic.Of(z));
            Assert.True(oldError > 1e6 * DoubleRoundoff, $"the old form's relative error {oldError:R} at z = {z:R} was expected to fail");
        }
    }

    /// <summary>
    /// φ′(±0) is ±0 (the old form gave +0 for both): a zero gradient leaves every weight equal to what it was, bit for bit
    /// except that w = −0 with g = −0 becomes +0 (−0 − η·(−0) = −0 + 0 = +0), in both precisions and every code path.
    /// </summary>
    [Fact]
    public void A_zero_gradient_moves_nothing()
    {
        double[] weights = { 1.0, -2.0, 0.0, -0.0 };
        foreach (var gradient in new[] { 0.0, -0.0 })
        {
            // 4 copies of each weight: 16 entries, so the vector paths see them too.
            var w = new double[16];
            var wf = new float[16];
            var g = new double[16];
            var gf = new float[16];
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = weights[i % 4];
                wf[i] = (float)weights[i % 4];
                g[i] = gradient;
                gf[i] = (float)gradient;
            }
            Optimizer.Step(w, g, 1);
            Optimizer.Step(wf, gf, 1);
            for (var i = 0; i < w.Length; i++)
            {
                var before = weights[i % 4];
                var expected = before == 0 && double.IsNegative(before) && double.IsNegative(gradient) ? 0.0 : before;
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(w[i]));
                Assert.Equal(BitConverter.SingleToInt32Bits((float)expected), BitConverter.SingleToInt32Bits(wf[i]));
            }
        }
    }

    /// <summary>
    /// A NaN gradient entry gives a NaN weight, as before. An infinite one now does too — ∞/(ε + ∞) = NaN, as the paper's
    /// z/(ε + |z|) and Adam's g/√(g²) give — where the old form's sign(g) − ε·(sign(g)/∞) = ±1 moved w by ∓η.
    /// </summary>
    [Fact]
    public void A_non_finite_gradient_entry_gives_NaN_like_the_paper_form()
    {
        double[] g = { double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.0 };
        var w = new[] { 1.0, 1.0, 1.0, 1.0 };
        var reference = new double[4];
        PaperReference.AdamWithoutMomentum(Eps, Eta, w, g, reference);
        Optimizer.Step(w, g, 1);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(double.IsNaN(w[i]), $"element {i}: w = {w[i]:R}");
            Assert.True(double.IsNaN(reference[i]));
        }
        Assert.Equal(1.0 - Eta * (1.0 / 1.5), w[3]);
    }
}
