using System;
using DslOptim.Tests.ReferenceData;
using DslOptim.TwoLayer.Theory;
using Xunit;

namespace DslOptim.Tests.TwoLayer.Theory;

/// <summary>η_max of Theorem E.1: the roots of (87) and (88) against the reference's 60-digit roots, residuals, edge cases.</summary>
public sealed class TwoLayerStepSizeLimitTests
{
    public static TheoryData<string, int> CaseAndPair()
    {
        var data = new TheoryData<string, int>();
        foreach (var c in TwoLayerReference.Load().Cases)
        {
            for (int i = 0; i < c.EtaMax.Count; i++)
            {
                data.Add(c.Name, i);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseAndPair))]
    public void EtaMaxMatchesTheReference(string name, int pair)
    {
        var c = TwoLayerReference.Load().Case(name);
        var e = c.EtaMax[pair];
        var constants = TwoLayerConstants.ForSquaredLoss(c.X, c.Y, c.S, c.W1, c.W2, c.N, c.M, c.H);
        var limit = TwoLayerStepSizeLimit.Compute(constants, e.C, e.D);
        const double Tol = 1e-10;
        TheoryAssert.Relative(e.Eta1, limit.Eta1, Tol, "η₀⁽¹⁾ (87)");
        TheoryAssert.Relative(e.Eta2, limit.Eta2, Tol, "η₀⁽²⁾ (88)");
        TheoryAssert.Relative(e.Eta3, limit.Eta3, Tol, "[log(1 + α₁/2α₂)]^{1/c}");
        TheoryAssert.Relative(e.EtaMax, limit.EtaMax, Tol, "η_max");
        var expectedKind = e.Binding switch
        {
            "eta1" => TwoLayerStepSizeLimitKind.Equation87,
            "eta2" => TwoLayerStepSizeLimitKind.Equation88,
            _ => TwoLayerStepSizeLimitKind.PositiveMuBar,
        };
        Assert.Equal(expectedKind, limit.Binding);
        var rate = limit.RateAt(limit.EtaMax);
        TheoryAssert.Relative(e.MuBar, rate.MuBar, Tol, "μ̄(η_max)");
        TheoryAssert.Relative(e.KBar0, rate.KBar0, Tol, "K̄₀(η_max)");
        TheoryAssert.Relative(e.RhoBar0, rate.RhoBar0, Tol, "ρ̄(η_max, 0)");
        TheoryAssert.Relative(e.Delta, rate.Delta, Tol, "Δ(η_max)");

        // With the reference's own constants as inputs the roots agree to near the unit roundoff.
        var k = c.Constants;
        var fromReference = TwoLayerStepSizeLimit.Compute(c.Mu, c.K, c.InitialLoss, k.Alpha1, k.Alpha2, k.Beta2, e.C, e.D);
        TheoryAssert.Relative(e.Eta1, fromReference.Eta1, 1e-14, "η₀⁽¹⁾ from the reference's constants");
        TheoryAssert.Relative(e.Eta2, fromReference.Eta2, 1e-12, "η₀⁽²⁾ from the reference's constants");
    }

    [Theory]
    [MemberData(nameof(CaseAndPair))]
    public void ResidualsOfBothEquationsAtTheRootsAreAtRoundoffLevel(string name, int pair)
    {
        var c = TwoLayerReference.Load().Case(name);
        var e = c.EtaMax[pair];
        var k = c.Constants;
        var limit = TwoLayerStepSizeLimit.Compute(c.Mu, c.K, c.InitialLoss, k.Alpha1, k.Alpha2, k.Beta2, e.C, e.D);
        // Evaluated by the tests' own transcription of (87), (88).
        double r87 = TheoryAssert.Residual87(c.Mu, c.K, c.InitialLoss, k.Alpha2, k.Beta2, e.C, limit.Eta1);
        Assert.True(Math.Abs(r87) <= 1e-12, $"(87) residual {r87:E2}");
        Assert.True(Math.Abs(limit.Residual87) <= 1e-12, $"(87) reported residual {limit.Residual87:E2}");
        var (left, right, scale) = TheoryAssert.Sides88(c.Mu, c.K, c.InitialLoss, k.Alpha1, k.Alpha2, k.Beta2, e.C, e.D, limit.Eta2);
        double r88 = (right - left) / scale;
        Assert.True(Math.Abs(r88) <= 1e-12, $"(88) relative residual {r88:E2} at η = {limit.Eta2:R}");
        Assert.True(Math.Abs(limit.Residual88) <= 1e-12, $"(88) reported residual {limit.Residual88:E2}");
        // Against max(|left|, |right|) — cancellation inside 1 − Δ makes this one ill-conditioned when η₀⁽²⁾ is
        // close to η₃ (μ̄ ≈ 0): there the reference's exact residual at the nearest double bounds what is possible.
        double plain = Math.Abs(right - left) / Math.Max(Math.Abs(left), Math.Abs(right));
        Assert.True(plain <= Math.Max(1e-12, 1e3 * Math.Abs(e.Residual88)), $"(88) residual {plain:E2} relative to its sides");
        Assert.True(Math.Abs(e.Residual88) <= 1e-12, $"reference (88) residual {e.Residual88:E2}");
        // The root is the smallest: (88)'s inequality (94) holds strictly at every sample below it.
        for (int i = 1; i <= 800; i++)
        {
            double eta = limit.Eta2 * Math.Pow(2.0, -i / 8.0);
            var (l, r, _) = TheoryAssert.Sides88(c.Mu, c.K, c.InitialLoss, k.Alpha1, k.Alpha2, k.Beta2, e.C, e.D, eta);
            Assert.True(r > l, $"(88) is violated at η = {eta:R} < η₀⁽²⁾ = {limit.Eta2:R}");
        }
    }

    /// <summary>
    /// The footnote's "(88) has no positive root, η₀⁽²⁾ = ∞" cannot happen when α₁ &gt; 0: f = RHS − LHS is positive
    /// near 0 and f(η₃) = −(1 − e^{−η₃^c})η₃^d − 4KL(0)η₃² &lt; 0 where μ̄(η₃) = 0 (docs/two-layer-theory.md). Over
    /// random settings spanning many decades (including L(0) = 0, α₁ ≪ α₂, d near 1, c near 0 and 1), a finite root
    /// below η₃ is found every time, with (88) holding strictly below it and failing just above.
    /// </summary>
    [Fact]
    public void Equation88AlwaysHasAPositiveRootBelowEta3()
    {
        var random = new Random(88);
        for (int trial = 0; trial < 300; trial++)
        {
            double mu = Math.Pow(10, -2 + 4 * random.NextDouble());
            double k = mu * Math.Pow(10, 3 * random.NextDouble());
            double l0 = trial % 10 == 0 ? 0.0 : Math.Pow(10, -6 + 10 * random.NextDouble());
            double a2 = Math.Pow(10, -1 + 4 * random.NextDouble());
            double a1 = a2 * Math.Pow(10, -3 * random.NextDouble());
            double b2 = Math.Pow(10, -1 + 3 * random.NextDouble());
            double c = 0.05 + 0.9 * random.NextDouble();
            double d = 1.0 + Math.Pow(10, -2 + 2 * random.NextDouble());
            var limit = TwoLayerStepSizeLimit.Compute(mu, k, l0, a1, a2, b2, c, d);
            string setting = $"μ={mu:R} K={k:R} L0={l0:R} α₁={a1:R} α₂={a2:R} β₂={b2:R} c={c:R} d={d:R}";
            Assert.True(double.IsFinite(limit.Eta2) && limit.Eta2 >= 0 && limit.Eta2 < limit.Eta3, $"η₀⁽²⁾ = {limit.Eta2} vs η₃ = {limit.Eta3}; {setting}");
            Assert.NotEqual(TwoLayerStepSizeLimitKind.PositiveMuBar, limit.Binding);
            if (limit.Eta2 > 1e-250)
            {
                var (lb, rb, _) = TheoryAssert.Sides88(mu, k, l0, a1, a2, b2, c, d, limit.Eta2 * (1 - 1e-7));
                Assert.True(rb > lb, $"(88) fails just below its root; {setting}");
                // μ̄ > 0 below η₃; when η₀⁽²⁾ is within rounding of η₃ (tiny α₁/α₂ and c), μ̄ is a rounding-level number.
                Assert.True(limit.RateAt(limit.EtaMax).MuBar > -1e-12 * mu * a1, $"μ̄(η_max) < 0; {setting}");
            }
        }
    }

    [Fact]
    public void TheFirstRootIsFoundEvenFarBelowTheScanGrid()
    {
        // μα₁ small and d = 1.01: 1 − Δ ≈ 2μα₁η − η^1.01 is positive only for η < (2μα₁)^100 ≈ 1e-200, far below
        // η₃·2⁻²⁰⁰; the search walks down and still brackets the first sign change.
        var limit = TwoLayerStepSizeLimit.Compute(1.0, 1.0, 1e-3, 5e-3, 1.0, 1.0, 0.5, 1.01);
        Assert.InRange(limit.Eta2, 1e-300, 1e-150);
        Assert.Equal(TwoLayerStepSizeLimitKind.Equation88, limit.Binding);
        var (l, r, _) = TheoryAssert.Sides88(1.0, 1.0, 1e-3, 5e-3, 1.0, 1.0, 0.5, 1.01, limit.Eta2 * 0.999);
        Assert.True(r > l, $"(88) fails below its root {limit.Eta2:R}: {r:R} ≤ {l:R}");
        var (l2, r2, _) = TheoryAssert.Sides88(1.0, 1.0, 1e-3, 5e-3, 1.0, 1.0, 0.5, 1.01, limit.Eta2 * 1.001);
        Assert.True(r2 < l2, $"(88) holds above its root {limit.Eta2:R}");
        Assert.True(Math.Abs(limit.Residual88) <= 1e-10, $"{limit.Residual88:E2}");
    }

    [Fact]
    public void KnownClosedFormForTheFirstRoot()
    {
        // L(0) = 0 and β₂ irrelevant: (87) is η·K·α₂·exp(η^c) = 1. With K·α₂ = 1/(η e^{η^c}) at η = 0.01, c = 0.5:
        // Kα₂ = 100/e^{0.1}; the root is exactly 0.01.
        double ka2 = 100 / Math.Exp(0.1);
        var limit = TwoLayerStepSizeLimit.Compute(1.0, 1.0, 0.0, 0.5 * ka2, ka2, 3.0, 0.5, 2.0);
        TheoryAssert.Relative(0.01, limit.Eta1, 4e-16, "η₀⁽¹⁾");
        // η₃ = log(1 + α₁/2α₂)^{1/c} = log(1.25)².
        TheoryAssert.Relative(Math.Pow(Math.Log(1.25), 2), limit.Eta3, 1e-15, "η₃");
    }

    [Fact]
    public void InvalidParametersThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, 1, 0.0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, 1, 1.0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, 1, 0.5, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, 1, 0.5, double.PositiveInfinity));
        var e = Assert.Throws<ArgumentException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 0.0, 2, 1, 0.5, 2));
        Assert.Contains("assumes α₁ > 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 3, 2, 1, 0.5, 2));
        Assert.Contains("at least α₁", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, double.NaN, 0.5, 2));
        Assert.Contains("β₂", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerStepSizeLimit.Compute(-1, 1, 1, 1, 2, 1, 0.5, 2));
        Assert.Contains("μ-strongly convex", e.Message);
        var limit = TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, 1, 0.5, 2);
        var r = Assert.Throws<ArgumentOutOfRangeException>(() => limit.RateAt(limit.EtaMax * (1 + 1e-12)));
        Assert.Contains("η₀ ≤ η_max", r.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => limit.RateAt(0.0));
        Assert.Throws<ArgumentNullException>(() => TwoLayerStepSizeLimit.Compute(null!));
    }
}
