using System;
using System.Collections.Generic;
using System.Linq;
using DslOptim.Tests.ReferenceData;
using DslOptim.TwoLayer.Theory;
using Xunit;

namespace DslOptim.Tests.TwoLayer;

/// <summary>
/// The runtime's generated two-layer step (certificate and step-size rules) on reference/two_layer_reference.py's data:
/// every per-step quantity and every run of the reference to 1e-10 relative. Index convention: the reference's
/// arrays are over the paper's iterate t = 0 … 49 (the value used by the step from W(t) to W(t + 1)); DslOptim's
/// step t = 1 … 50 starts from the paper's iterate t − 1, so reference index t is DslOptim step t + 1.
/// </summary>
public sealed class ReferenceParityTests
{
    private const double Tol = 1e-10;

    public static TheoryData<string, string, double> Runs()
    {
        var data = new TheoryData<string, string, double>();
        foreach (var c in TwoLayerReference.Load().Cases)
        {
            foreach (var r in c.Runs)
            {
                data.Add(c.Name, r.Schedule, r.Eta0OverEtaMax);
            }
        }
        return data;
    }

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in TwoLayerReference.Load().Cases)
        {
            data.Add(c.Name);
        }
        return data;
    }

    private static void Relative(double expected, double actual, double tolerance, string what)
    {
        double error = Math.Abs(actual - expected);
        Assert.True(error <= tolerance * Math.Abs(expected),
            $"{what}: reference {expected:R}, runtime {actual:R} (relative error {error / Math.Abs(expected):E2} > {tolerance:E0})");
    }

    /// <summary>
    /// L(t) to 1e-10 relative, or — once the loss is near the rounding floor of ½‖XW − Y‖² — to the absolute error
    /// that forming the residual allows: each entry of XW − Y carries ~ε·(‖X‖‖W‖ + ‖Y‖) of rounding, so L carries
    /// ~ε·(‖X‖‖W‖ + ‖Y‖)·√(2L)·√(s·m) (with a factor 64 of slack for 50 steps of accumulation).
    /// </summary>
    private static void Loss(double expected, double actual, double scale, string what)
    {
        double error = Math.Abs(actual - expected);
        double floor = 64 * 2.220446049250313e-16 * scale * Math.Sqrt(2 * Math.Abs(expected));
        Assert.True(error <= Math.Max(Tol * Math.Abs(expected), floor),
            $"{what}: reference {expected:R}, runtime {actual:R} (relative error {error / Math.Abs(expected):E2})");
    }

    private static void GradientNormSquared(double expected, double actual, double scale, string what)
    {
        double error = Math.Abs(actual - expected);
        double floor = 64 * 2.220446049250313e-16 * scale * 2 * Math.Sqrt(Math.Abs(expected));
        Assert.True(error <= Math.Max(Tol * Math.Abs(expected), floor),
            $"{what}: reference {expected:R}, runtime {actual:R} (relative error {error / Math.Abs(expected):E2})");
    }

    private static TwoLayerRateBound Rate(TwoLayerReferenceCase c, TwoLayerReferenceRun run)
    {
        var constants = TwoLayerConstants.ForSquaredLoss(c.X, c.Y, c.S, c.W1, c.W2, c.N, c.M, c.H);
        var limit = TwoLayerStepSizeLimit.Compute(constants, run.C, run.D);
        // The reference's η₀ is its η_max; ours agrees to ~1e-15 relative, so clamp to stay inside (0, η_max].
        return limit.RateAt(Math.Min(run.Eta0, limit.EtaMax));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void GeneratedStepFollowsTheReferenceTrajectory(string name, string schedule, double eta0OverEtaMax)
    {
        var c = TwoLayerReference.Load().Case(name);
        var run = c.Run(schedule, eta0OverEtaMax);
        double[] w1 = (double[])c.W1.Clone(), w2 = (double[])c.W2.Clone();
        var problem = new TwoLayerProblem<double>(c.X, c.S, c.N, c.Y, c.M);
        var workspace = new TwoLayerWorkspace<double>(problem, c.H, threads: 2);
        var optimizer = new TwoLayerSquaredGd();

        bool inTheorem = eta0OverEtaMax == 1.0;
        TwoLayerRateBound? rate = inTheorem ? Rate(c, run) : null;
        TwoLayerStepSize rule = schedule switch
        {
            "constant" => TwoLayerStepSize.Constant(run.Eta0),
            // At η_max: the theory's factories (η₀ and d of the limit); above it, the runtime rule with the run's η₀ and d.
            "eq19_rho" => rate?.AdaptiveRule() ?? TwoLayerStepSize.Adaptive(run.Eta0, run.D),
            "eq19_rho_bar" => rate!.AdaptiveBarRule(),
            _ => throw new ArgumentException($"unknown schedule {schedule}"),
        };
        var adaptive = rule as AdaptiveStepSize;
        if (adaptive is not null)
        {
            Relative(run.Eta0, adaptive.Eta0, 1e-14, "η₀");
            Assert.Equal(run.D, adaptive.D);
            Assert.Equal(schedule == "eq19_rho_bar", adaptive.UsesBoundedSmoothness);
        }

        double scale = Norm(c.Y) + (Math.Sqrt(c.K) * Norm(c.WStar));
        var factors = new List<double>();
        for (int t = 0; t < run.Steps; t++)
        {
            TwoLayerCertificate k = optimizer.Step(problem, w1, w2, workspace, t + 1, rule);
            string at = $"{run}, paper iterate t = {t} (DslOptim step {t + 1})";
            Assert.Equal(t + 1, k.Step);
            Loss(run.Loss[t], k.Loss, scale, $"L, {at}");
            // ∇L = 𝒯*(R): near the floor, R's rounding (as for L) reaches ‖∇L‖² through σ_max(𝒯)·2‖∇L‖.
            GradientNormSquared(run.GradNormSquared[t], k.GradientNorm * k.GradientNorm, scale * Math.Sqrt(k.SigmaMaxSquaredT), $"‖∇L‖², {at}");
            Relative(run.SigmaMinTSquared[t], k.SigmaMinSquaredT, Tol, $"σ²_min(𝒯) (29), {at}");
            Relative(run.SigmaMaxTSquared[t], k.SigmaMaxSquaredT, Tol, $"σ²_max(𝒯) (29), {at}");
            Relative(run.SigmaMinTSquaredExplicit[t], k.SigmaMinSquaredT, 1e-9, $"σ²_min(𝒯) explicit SVD, {at}");
            Relative(run.SigmaMaxW[t], k.SigmaMaxW, Tol, $"σ_max(W), {at}");
            Relative(run.Eta[t], k.StepSize, Tol, $"η_t, {at}");
            Relative(run.MuT[t], k.LocalPl, Tol, $"μ_t (11), {at}");
            Relative(run.KT[t], k.LocalSmoothnessAtStep, Tol, $"K_t(η_t) (12), {at}");
            Relative(run.InverseKT[t], k.InverseLocalSmoothness(), Tol, $"1/K_t, {at}");
            Relative(run.Rho[t], k.RhoAtStep, Tol, $"ρ(η_t, t) (10), {at}");
            if (adaptive is not null)
            {
                Relative(run.Cap[t], adaptive.LastCap, Tol, $"cap_t, {at}");
                Relative(run.InverseKT[t], adaptive.LastInverseSmoothness, Tol, $"rule's 1/K_t, {at}");
            }

            if (rate is not null)
            {
                Relative(run.KBar![t], rate.KBar(t), Tol, $"K̄_t, {at}");
                Relative(run.RhoBar![t], rate.RhoBar(k.StepSize, t), Tol, $"ρ̄(η_t, t), {at}");
                if (schedule == "eq19_rho_bar")
                {
                    Relative(run.KBar[t], 1.0 / adaptive!.LastInverseBoundedSmoothness, Tol, $"rule's K̄_t, {at}");
                    // Theory and runtime write eq. (19) the same way (TwoLayerStepSizes.Equation19): the same double.
                    Assert.Equal(rate.Equation19RhoBar(t, adaptive.LastInverseSmoothness), k.StepSize);
                }
                else if (schedule == "eq19_rho")
                {
                    Assert.Equal(rate.Equation19Rho(t, adaptive!.LastInverseSmoothness), k.StepSize);
                }
            }

            factors.Add(run.Bound20Factor == "rho_bar" ? rate!.RhoBar(k.StepSize, t) : k.RhoAtStep);
        }

        TwoLayerCertificate last = optimizer.Certify(problem, w1, w2, workspace);
        Loss(run.Loss[run.Steps], last.Loss, scale, $"L({run.Steps}), {run}");

        var bound20 = new double[run.Steps + 1];
        TwoLayerRateBound.Bound20(run.Loss[0], factors.ToArray(), bound20);
        for (int t = 0; t <= run.Steps; t++)
        {
            Relative(run.Bound20[t], bound20[t], Tol, $"bound (20) at t = {t}, {run}");
            if (rate is not null)
            {
                Relative(run.Bound17![t], rate.Bound17(t), Tol, $"bound (17) at t = {t}, {run}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void CertificateAndWorkspaceGiveTheReferenceConstants(string name)
    {
        var c = TwoLayerReference.Load().Case(name);
        var problem = new TwoLayerProblem<double>(c.X, c.S, c.N, c.Y, c.M);
        var workspace = new TwoLayerWorkspace<double>(problem, c.H, threads: 1);
        TwoLayerCertificate k = new TwoLayerSquaredGd().Certify(problem, c.W1, c.W2, workspace);

        // μ, K of ℓ(W) = ½‖XW − Y‖² (ℓ″ ≡ 1 from the theory checker, times σ²(X) from the problem).
        Relative(c.Mu, k.Mu, Tol, "μ");
        Relative(c.K, k.K, Tol, "K");
        Relative(c.InitialLoss, k.Loss, Tol, "L(0)");
        Relative(c.SigmaMinTSquaredEq29, k.SigmaMinSquaredT, Tol, "σ²_min(𝒯₀) (29)");
        Relative(c.SigmaMaxTSquaredEq29, k.SigmaMaxSquaredT, Tol, "σ²_max(𝒯₀) (29)");
        Relative(c.SigmaMaxTSquaredExplicit, k.SigmaMaxSquaredT, Tol, "σ²_max(𝒯₀) explicit SVD");

        // Table 2 from the Gram matrices the step accumulates (no second pass over the weights), with the certificate's μ, K, L(0).
        var constants = TwoLayerConstants.FromGrams(workspace.FirstGram, workspace.SecondGram, workspace.WeightProduct,
            c.N, c.M, c.WStar, k.Mu, k.K, k.Loss);
        var e = c.Constants;
        Relative(e.LambdaPlus, constants.LambdaPlus, Tol, "λ₊");
        Relative(e.LambdaMinus, constants.LambdaMinus, Tol, "λ₋");
        Relative(e.Beta2, constants.Beta2, Tol, "β₂");
        Relative(e.Alpha1, constants.Alpha1, Tol, "α₁");
        Relative(e.Alpha2, constants.Alpha2, Tol, "α₂");

        // η_max for each (c, d) from those constants.
        foreach (var x in c.EtaMax)
        {
            var limit = TwoLayerStepSizeLimit.Compute(constants, x.C, x.D);
            Relative(x.EtaMax, limit.EtaMax, Tol, $"η_max (c = {x.C}, d = {x.D})");
            var rate = limit.RateAt(limit.EtaMax);
            Relative(x.KBar0, rate.KBar0, Tol, $"K̄₀ (c = {x.C}, d = {x.D})");
            Relative(x.RhoBar0, rate.RhoBar0, Tol, $"ρ̄(η₀, 0) (c = {x.C}, d = {x.D})");
        }
    }

    [Fact]
    public void RhoBarRuleRespectsOneOverKtWhenKBarDoesNotBoundKt()
    {
        // Eq. (18): the argmin of ρ̄ over η ≤ min(cap, 1/K_t). With a K̄_t far below K_t (not a Theorem 3.2 bound),
        // 1/K̄_t and the cap (η₀ = 10³) are both above 1/K_t, which must bind.
        var c = TwoLayerReference.Load().Cases[0];
        double[] w1 = (double[])c.W1.Clone(), w2 = (double[])c.W2.Clone();
        var problem = new TwoLayerProblem<double>(c.X, c.S, c.N, c.Y, c.M);
        var workspace = new TwoLayerWorkspace<double>(problem, c.H, threads: 1);
        var optimizer = new TwoLayerSquaredGd();
        AdaptiveStepSize rule = TwoLayerStepSize.AdaptiveBar(1e3, _ => 1e-9);
        for (long t = 1; t <= 5; t++)
        {
            TwoLayerCertificate k = optimizer.Step(problem, w1, w2, workspace, t, rule);
            Assert.Equal(StepSizeBound.InverseSmoothness, rule.LastBound);
            Assert.Equal(k.InverseLocalSmoothness(), k.StepSize);
            Assert.True(Math.Abs((k.StepSize * k.LocalSmoothnessAtStep) - 1) <= 1e-13);
        }
    }

    private static double Norm(double[] a) => Math.Sqrt(a.Sum(v => v * v));
}
