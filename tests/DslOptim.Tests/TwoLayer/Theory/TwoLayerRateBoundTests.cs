using System;
using System.Linq;
using DslOptim.Tests.ReferenceData;
using DslOptim.TwoLayer.Theory;
using Xunit;

namespace DslOptim.Tests.TwoLayer.Theory;

/// <summary>K̄_t, ρ̄, the step-size cap and the bounds (17), (20) against the reference runs; Theorems 3.1/3.2 on them.</summary>
public sealed class TwoLayerRateBoundTests
{
    public static TheoryData<string, string> InTheoremRuns()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in TwoLayerReference.Load().Cases)
        {
            foreach (var r in c.Runs.Where(r => r.Eta0OverEtaMax == 1.0))
            {
                data.Add(c.Name, r.Schedule);
            }
        }
        return data;
    }

    private static TwoLayerRateBound Rate(TwoLayerReferenceCase c, TwoLayerReferenceRun run)
    {
        var constants = TwoLayerConstants.ForSquaredLoss(c.X, c.Y, c.S, c.W1, c.W2, c.N, c.M, c.H);
        var limit = TwoLayerStepSizeLimit.Compute(constants, run.C, run.D);
        // The run's η₀ is the reference's η_max; ours agrees to ~1e-15, so clamp to stay inside (0, η_max].
        return limit.RateAt(Math.Min(run.Eta0, limit.EtaMax));
    }

    [Theory]
    [MemberData(nameof(InTheoremRuns))]
    public void KBarRhoBarCapAndBound17MatchTheReference(string name, string schedule)
    {
        var c = TwoLayerReference.Load().Case(name);
        var run = c.Run(schedule);
        var rate = Rate(c, run);
        var bound17 = new double[run.Steps + 1];
        rate.Bound17(bound17);
        for (int t = 0; t < run.Steps; t++)
        {
            TheoryAssert.Relative(run.KBar![t], rate.KBar(t), 1e-10, $"K̄_{t}");
            TheoryAssert.Relative(run.Cap[t], rate.StepCap(t), 1e-10, $"cap_{t}");
            TheoryAssert.Relative(run.RhoBar![t], rate.RhoBar(run.Eta[t], t), 1e-10, $"ρ̄(η_{t}, {t})");
        }
        for (int t = 0; t <= run.Steps; t++)
        {
            TheoryAssert.Relative(run.Bound17![t], bound17[t], 1e-10, $"bound (17) at t = {t}");
            Assert.Equal(bound17[t], rate.Bound17(t));
        }
    }

    [Theory]
    [MemberData(nameof(InTheoremRuns))]
    public void Bound20MatchesTheReferenceAndBoundsTheLoss(string name, string schedule)
    {
        var c = TwoLayerReference.Load().Case(name);
        var run = c.Run(schedule);
        double[] factors = run.Bound20Factor == "rho_bar" ? run.RhoBar! : run.Rho;
        var bounds = new double[run.Steps + 1];
        TwoLayerRateBound.Bound20(run.Loss[0], factors, bounds);
        for (int t = 0; t <= run.Steps; t++)
        {
            TheoryAssert.Relative(run.Bound20[t], bounds[t], 1e-13, $"bound (20) at t = {t}");
            Assert.True(run.Loss[t] <= bounds[t] * (1 + 1e-12), $"L({t}) = {run.Loss[t]:R} above bound (20) {bounds[t]:R}");
            Assert.True(run.Loss[t] <= run.Bound17![t] * (1 + 1e-12), $"L({t}) = {run.Loss[t]:R} above bound (17) {run.Bound17[t]:R}");
        }
        Assert.Equal(bounds[^1], TwoLayerRateBound.Bound20(run.Loss[0], factors));
    }

    /// <summary>
    /// Theorem 3.1 (L(t+1) ≤ ρ(η_t, t)L(t)) and Theorem 3.2 / Lemma E.1 (μ̄ ≤ μ_t, K_t ≤ K̄_t, ρ(η_t, t) ≤ ρ̄(η₀, 0),
    /// η₀ ≤ η_t ≤ cap_t) on the reference trajectories, with this library's μ̄, K̄_t, ρ̄ and cap.
    /// </summary>
    [Theory]
    [MemberData(nameof(InTheoremRuns))]
    public void TheTheoremsHoldAlongTheReferenceRuns(string name, string schedule)
    {
        var c = TwoLayerReference.Load().Case(name);
        var run = c.Run(schedule);
        var rate = Rate(c, run);
        for (int t = 0; t < run.Steps; t++)
        {
            if (run.Loss[t] < 1e-18 * run.Loss[0])
            {
                break;
            }
            Assert.True(run.Loss[t + 1] <= run.Rho[t] * run.Loss[t] * (1 + 1e-9), $"Theorem 3.1 at t = {t}");
            Assert.True(rate.MuBar <= run.MuT[t], $"μ̄ = {rate.MuBar} > μ_{t} = {run.MuT[t]}");
            Assert.True(run.KT[t] <= rate.KBar(t), $"K_{t} = {run.KT[t]} > K̄_{t} = {rate.KBar(t)}");
            Assert.True(run.Rho[t] <= rate.RhoBar0, $"ρ(η_{t}, {t}) = {run.Rho[t]} > ρ̄(η₀, 0) = {rate.RhoBar0}");
            Assert.True(run.Eta[t] >= run.Eta0 * (1 - 1e-12) && run.Eta[t] <= rate.StepCap(t) * (1 + 1e-12), $"(15) at t = {t}: η₀ = {run.Eta0:R}, η_t = {run.Eta[t]:R}, cap = {rate.StepCap(t):R}, 1/K_t = {run.InverseKT[t]:R}");
            Assert.True(run.Eta[t] * run.KT[t] <= 1 + 1e-12, $"η_{t}·K_{t} = {run.Eta[t] * run.KT[t]} > 1");
        }
    }

    [Theory]
    [MemberData(nameof(InTheoremRuns))]
    public void Equation19StepSizesFollowFromTheCapAndTheInverseKt(string name, string schedule)
    {
        var c = TwoLayerReference.Load().Case(name);
        var run = c.Run(schedule);
        var rate = Rate(c, run);
        for (int t = 0; t < run.Steps; t++)
        {
            double expected = schedule switch
            {
                "constant" => run.Eta0,
                "eq19_rho" => rate.Equation19Rho(t, run.InverseKT[t]),
                _ => rate.Equation19RhoBar(t, run.InverseKT[t]),
            };
            TheoryAssert.Relative(run.Eta[t], expected, 1e-12, $"η_{t}");
            TheoryAssert.Relative(Math.Min(run.Cap[t], run.InverseKT[t]), rate.Equation19Rho(t, run.InverseKT[t]), 1e-12, $"(19), h = ρ, η_{t}");
            // 1/K_t is the root of η·K_t(η) = 1: at η_t = 1/K_t, η_t·K_t = 1.
            if (run.Eta[t] == run.InverseKT[t])
            {
                TheoryAssert.Relative(1.0, run.Eta[t] * run.KT[t], 1e-14, $"η_{t}·K_{t}");
            }
        }
    }

    [Fact]
    public void Bound20RejectsBadInput()
    {
        var e = Assert.Throws<ArgumentException>(() => TwoLayerRateBound.Bound20(1.0, new double[] { 0.5, 0.5 }, new double[2]));
        Assert.Contains("factors.Length + 1 = 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerRateBound.Bound20(1.0, new double[] { 0.5, -0.1 }, new double[3]));
        Assert.Contains("h(η_1, 1)", e.Message);
        e = Assert.Throws<ArgumentException>(() => TwoLayerRateBound.Bound20(double.NaN, new double[] { 0.5 }));
        Assert.Contains("L(0)", e.Message);
        var limit = TwoLayerStepSizeLimit.Compute(1, 1, 1, 1, 2, 1, 0.5, 2);
        var rate = limit.RateAt(limit.EtaMax / 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => rate.KBar(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rate.StepCap(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rate.Equation19Rho(0, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => rate.Equation19RhoBar(0, double.NaN));
        // Closed forms: cap_t = (1 + η₀^d)^{t/2}·η₀ with d = 2; bound (17) = L(0)·ρ̄₀^t.
        double eta0 = limit.EtaMax / 2;
        TheoryAssert.Relative(Math.Pow(1 + eta0 * eta0, 5) * eta0, rate.StepCap(10), 1e-15, "cap_10");
        TheoryAssert.Relative(Math.Pow(rate.RhoBar0, 7), rate.Bound17(7), 1e-15, "bound (17) at t = 7");
        Assert.Equal(rate.KBar0, rate.KBar(0), 14);
    }
}
