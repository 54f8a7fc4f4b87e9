using System;
using System.Numerics;
using DslOptim.Kernels;
using DslOptim.Tests.Infrastructure;
using Xunit;

namespace DslOptim.Tests.Steps;

/// <summary>
/// Normalized GD for a gradient much smaller than ε: the step is w ← w − η·g/(ε + s) with s = ‖g‖, and the generated
/// scale h′(s)/s = 1/(ε + s) keeps every digit at s = 10⁻¹²·ε, where the unsimplified (1 − ε/(ε + s))/s cancels.
/// Expected values are exact rationals of the double inputs (<see cref="Dyadic"/>), not another floating-point formula.
/// </summary>
public sealed class NormalizedGdPrecisionTests
{
    private const double Eta = 0.1;

    /// <summary>x = 1.5·2⁻⁴³: x² = 2.25·2⁻⁸⁶ is exact and so is a sum of 16 of them, so ‖g‖ = 4x exactly for 16 entries ±x.</summary>
    private static readonly double X = 1.5 * Math.Pow(2, -43);

    private static readonly double S = 4 * X;

    /// <summary>ε with s/ε = 10⁻¹² (to one rounding).</summary>
    private static readonly double Eps = 1e12 * S;

    /// <summary>u = 2⁻⁵³: double's unit roundoff.</summary>
    private static readonly double DoubleRoundoff = Math.Pow(2, -53);

    /// <summary>2⁻²⁴: float's unit roundoff.</summary>
    private static readonly double FloatRoundoff = Math.Pow(2, -24);

    private static NormalizedGd Optimizer => new() { Eps = Eps, Eta = Eta };

    private static T[] Gradient<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new T[16];
        for (var i = 0; i < g.Length; i++)
        {
            g[i] = T.CreateTruncating(i % 3 == 1 ? -X : X);
        }
        return g;
    }

    /// <summary>|w − w*|/|w*| for w* = −η·g/(ε + s), exactly: |w·(ε + s) + η·g| / |η·g|.</summary>
    private static double RelativeError(double w, double g) =>
        Dyadic.Ratio(Dyadic.Of(w) * (Dyadic.Of(Eps) + Dyadic.Of(S)) + Dyadic.Of(Eta) * Dyadic.Of(g), Dyadic.Of(Eta) * Dyadic.Of(g));

    /// <summary>The step as the unsimplified scale (1 − ε/(ε + s))/s would make it, in the same precision as the kernel.</summary>
    private static double OldStep<T>(double g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var oldScale = Eta * ((1.0 - Eps / (Eps + S)) / S);
        return double.CreateTruncating(T.Zero - T.CreateTruncating(oldScale) * T.CreateTruncating(g));
    }

    [Fact]
    public void The_inputs_are_what_the_test_says()
    {
        Assert.Equal(S, Reduction.FrobeniusNorm<double>(Gradient<double>()));
        Assert.Equal(S, Reduction.FrobeniusNorm<float>(Gradient<float>()));
        Assert.Equal(1e-12, S / Eps, 1e-27);
    }

    /// <summary>
    /// double: ε + s, 1/(ε + s), η·scale and scale·g each round once, so |error| ≤ 4u relative. The old form keeps the
    /// rounding of ε + s, up to ulp(ε)/(2s) ≈ 10⁻⁴ relative (2.2·10⁻⁵ for these inputs).
    /// </summary>
    [Fact]
    public void Double_step_at_a_tiny_norm_is_accurate_to_a_few_roundings()
    {
        var g = Gradient<double>();
        var w = new double[g.Length];
        Optimizer.Step(w, g, 1);
        var tolerance = 4 * DoubleRoundoff;
        for (var i = 0; i < g.Length; i++)
        {
            var error = RelativeError(w[i], g[i]);
            Assert.True(error <= tolerance, $"element {i}: w = {w[i]:R}, relative error {error:R} > {tolerance:R}");
            var oldError = RelativeError(OldStep<double>(g[i]), g[i]);
            Assert.True(oldError > 1e6 * tolerance, $"element {i}: the old form's relative error {oldError:R} was expected to fail the tolerance");
        }
    }

    /// <summary>
    /// float: the scale is computed in double (≤ 3u_double), rounded to float (≤ u_float) and multiplied by g in float (≤ u_float).
    /// </summary>
    [Fact]
    public void Float_step_at_a_tiny_norm_is_accurate_to_a_few_roundings()
    {
        var g = Gradient<float>();
        var w = new float[g.Length];
        Optimizer.Step(w, g, 1);
        var tolerance = 2 * FloatRoundoff + 4 * DoubleRoundoff;
        for (var i = 0; i < g.Length; i++)
        {
            var error = RelativeError(w[i], g[i]);
            Assert.True(error <= tolerance, $"element {i}: w = {w[i]:R}, relative error {error:R} > {tolerance:R}");
            var oldError = RelativeError(OldStep<float>(g[i]), g[i]);
            Assert.True(oldError > 100 * tolerance, $"element {i}: the old form's relative error {oldError:R} was expected to fail the tolerance");
        }
    }

    /// <summary>The parameter-set step computes the same scale (global norm over both tensors: 8 + 8 entries ±x, s = 4x).</summary>
    [Fact]
    public void Parameter_set_step_at_a_tiny_norm_is_accurate_to_a_few_roundings()
    {
        var g = Gradient<double>();
        var w0 = new double[8];
        var w1 = new double[8];
        var set = new ParameterSet<double>();
        set.Add(w0, g.AsMemory(0, 8));
        set.Add(w1, g.AsMemory(8, 8));
        Optimizer.Step(set, 1);
        var tolerance = 4 * DoubleRoundoff;
        for (var i = 0; i < g.Length; i++)
        {
            var w = i < 8 ? w0[i] : w1[i - 8];
            var error = RelativeError(w, g[i]);
            Assert.True(error <= tolerance, $"element {i}: w = {w:R}, relative error {error:R} > {tolerance:R}");
        }
    }

    /// <summary>h′(s) = s/(ε + s) rounds twice; 1 − ε/(ε + s) would be off by about 10⁻⁴ relative.</summary>
    [Fact]
    public void Derivative_at_a_tiny_norm_is_accurate_to_two_roundings()
    {
        var hPrime = Optimizer.HPrime(S);
        // |h′ − s/(ε + s)|/(s/(ε + s)) = |h′·(ε + s) − s|/s, exactly.
        var error = Dyadic.Ratio(Dyadic.Of(hPrime) * (Dyadic.Of(Eps) + Dyadic.Of(S)) - Dyadic.Of(S), Dyadic.Of(S));
        Assert.True(error <= 2 * DoubleRoundoff, $"h′(s) = {hPrime:R}, relative error {error:R}");
        var old = 1.0 - Eps / (Eps + S);
        var oldError = Dyadic.Ratio(Dyadic.Of(old) * (Dyadic.Of(Eps) + Dyadic.Of(S)) - Dyadic.Of(S), Dyadic.Of(S));
        Assert.True(oldError > 1e6 * DoubleRoundoff, $"the old form's relative error {oldError:R} was expected to fail");
    }

    /// <summary>s = 0 is unchanged: nothing moves (∇K(0) = 0), in both precisions and on a parameter set.</summary>
    [Fact]
    public void A_zero_gradient_moves_nothing()
    {
        var w = new[] { 1.0, -2.0, 3.0 };
        Optimizer.Step(w, new double[3], 1);
        Assert.Equal(new[] { 1.0, -2.0, 3.0 }, w);
        var wf = new[] { 1f, -2f, 3f };
        Optimizer.Step(wf, new float[3], 1);
        Assert.Equal(new[] { 1f, -2f, 3f }, wf);
        var ws = new[] { 4.0, 5.0 };
        var set = new ParameterSet<double>();
        set.Add(ws, new double[2]);
        Optimizer.Step(set, 1);
        Assert.Equal(new[] { 4.0, 5.0 }, ws);
    }
}
